import Foundation

/// The machine a report was measured on: cores, memory, CPU model, build configuration and the
/// PostgreSQL version (filled in by the benchmark once it has a database).
public struct BenchMachine: Sendable, Hashable, Codable {
    public var cores: Int
    public var memoryBytes: UInt64
    public var cpuModel: String
    public var build: BenchBuildConfiguration
    public var postgresVersion: String?

    public init(cores: Int, memoryBytes: UInt64, cpuModel: String, build: BenchBuildConfiguration, postgresVersion: String? = nil) {
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.cpuModel = cpuModel
        self.build = build
        self.postgresVersion = postgresVersion
    }

    /// This machine, as `ProcessInfo` and /proc/cpuinfo describe it.
    public static func current(postgresVersion: String? = nil) -> BenchMachine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return BenchMachine(
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: ProcessInfo.processInfo.physicalMemory,
            cpuModel: cpuModel(fromCPUInfo: cpuinfo) ?? "unknown CPU",
            build: .current,
            postgresVersion: postgresVersion)
    }

    /// The first `model name` of /proc/cpuinfo text (x86), else the first `Model`/`cpu model` line.
    public static func cpuModel(fromCPUInfo text: String) -> String? {
        for key in ["model name", "Model", "cpu model"] {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }
}
