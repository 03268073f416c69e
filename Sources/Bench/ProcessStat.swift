import Foundation

/// The fields of `/proc/<pid>/stat` the benchmark uses: parent, CPU time in clock ticks.
public struct ProcessStat: Sendable, Hashable {
    public let pid: Int32
    public let parentPID: Int32
    public let userTicks: UInt64
    public let systemTicks: UInt64

    /// Parses one stat line; the command name may hold spaces and parentheses, so fields are
    /// counted from the last `)`. Nil when the line is not a stat line.
    public init?(statLine: String) {
        guard let open = statLine.firstIndex(of: "("), let close = statLine.lastIndex(of: ")"),
              let pid = Int32(statLine[..<open].trimmingCharacters(in: .whitespaces)) else { return nil }
        // After ")": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
        let fields = statLine[statLine.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let parent = Int32(fields[1]), let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        self.pid = pid
        self.parentPID = parent
        self.userTicks = user
        self.systemTicks = system
    }

    /// The stat of `pid` now, nil when it is gone.
    public static func read(pid: Int32) -> ProcessStat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return ProcessStat(statLine: text)
    }

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
    public static let ticksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    public var cpuSeconds: Double { Double(userTicks + systemTicks) / Self.ticksPerSecond }

    /// Pids of the processes whose parent is `parent`, from a scan of /proc.
    public static func childrenOf(_ parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { read(pid: $0)?.parentPID == parent }
    }
}
