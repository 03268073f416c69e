import Foundation
import Synchronization

/// Measures what the server costs while a benchmark runs: CPU seconds of the Skein process and of
/// its embedded PostgreSQL (postmaster and every child of it), and Skein's peak RSS (the kernel's
/// VmHWM and the largest VmRSS seen by sampling every 100 ms).
public final class ProcessSampler: Sendable {
    /// CPU seconds consumed so far by Skein and by PostgreSQL, at one moment.
    public struct CPUSnapshot: Sendable {
        public var skeinSeconds: Double
        public var postgresSeconds: Double
        /// PostgreSQL processes seen; a backend that ended between snapshots takes its CPU with it.
        public var postgresProcesses: Set<Int32>
    }

    public let skeinPID: Int32
    public let postmasterPID: Int32?
    private let peakSampledRSSKiB = Mutex<UInt64>(0)
    private let samplingTask = Mutex<Task<Void, Never>?>(nil)

    public init(skeinPID: Int32, postmasterPID: Int32?) {
        self.skeinPID = skeinPID
        self.postmasterPID = postmasterPID
    }

    public func cpu() -> CPUSnapshot {
        let skein = ProcessStat.read(pid: skeinPID)?.cpuSeconds ?? 0
        var postgres = 0.0
        var seen = Set<Int32>()
        if let postmasterPID {
            for pid in PostgresProcesses.all(postmaster: postmasterPID) {
                if let stat = ProcessStat.read(pid: pid) {
                    postgres += stat.cpuSeconds
                    seen.insert(pid)
                }
            }
        }
        return CPUSnapshot(skeinSeconds: skein, postgresSeconds: postgres, postgresProcesses: seen)
    }

    /// Starts sampling VmRSS every 100 ms until `stopSampling()`.
    public func startSampling() {
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                if let rss = Self.statusKiB("VmRSS", pid: skeinPID) {
                    peakSampledRSSKiB.withLock { $0 = max($0, rss) }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        samplingTask.withLock { $0 = task }
    }

    public func stopSampling() {
        samplingTask.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    /// The larger of VmHWM and the sampled maximum of VmRSS, in MiB.
    public var peakRSSMiB: Double {
        let hwm = Self.statusKiB("VmHWM", pid: skeinPID) ?? 0
        return Double(max(hwm, peakSampledRSSKiB.withLock { $0 })) / 1024
    }

    /// A `kB` field of /proc/<pid>/status.
    static func statusKiB(_ field: String, pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return statusKiB(field, statusText: text)
    }

    /// A `kB` field of /proc/<pid>/status text (`VmRSS:\t  123456 kB`).
    public static func statusKiB(_ field: String, statusText: String) -> UInt64? {
        for line in statusText.split(separator: "\n") where line.hasPrefix(field + ":") {
            let value = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return value.flatMap { UInt64($0) }
        }
        return nil
    }
}
