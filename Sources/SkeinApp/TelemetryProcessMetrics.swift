import CoreMetrics
import Foundation
import Storage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Skein's own process and database-pool gauges: `skein_build_info{version}`,
/// `skein_process_start_time_seconds`, `skein_process_resident_memory_bytes`,
/// `skein_db_pool_connections_max` and `skein_db_queries_in_flight`. The state gauges are set
/// by `refresh()`, which `/metrics` runs before every scrape.
struct TelemetryProcessMetrics: Sendable {
    /// Skein's version as `skein_build_info` reports it.
    static let version = "0.3.0-dev"

    private let residentMemory: Gauge
    private let queriesInFlight: Gauge
    private let reader: TelemetryTraceReader

    /// Records the constant figures now; `reader` is the one pages and the API read through.
    init(factory: any MetricsFactory, reader: TelemetryTraceReader, poolMaximumConnections: Int) {
        self.reader = reader
        residentMemory = Gauge(label: "skein_process_resident_memory_bytes", factory: factory)
        queriesInFlight = Gauge(label: "skein_db_queries_in_flight", factory: factory)
        Gauge(label: "skein_build_info", dimensions: [("version", Self.version)], factory: factory).record(1)
        Gauge(label: "skein_process_start_time_seconds", factory: factory).record(Self.processStartUnixSeconds())
        Gauge(label: "skein_db_pool_connections_max", factory: factory).record(poolMaximumConnections)
    }

    /// Sets the gauges that describe the current state.
    func refresh() {
        if let bytes = Self.residentMemoryBytes() { residentMemory.record(bytes) }
        queriesInFlight.record(reader.readsInFlight)
    }

    /// Resident set size from `/proc/self/statm` (its second field, in pages); `nil` where there is none.
    static func residentMemoryBytes() -> Int? {
        guard let statm = readSmallFile("/proc/self/statm") else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// When the process started, in Unix seconds: from `/proc/self/stat` and the boot time where
    /// Linux offers them, else the moment this is first asked (at startup).
    static func processStartUnixSeconds() -> Double {
        let now = Date().timeIntervalSince1970
        guard let stat = readSmallFile("/proc/self/stat"), let uptimeText = readSmallFile("/proc/uptime"),
              let afterName = stat.lastIndex(of: ")")
        else { return now }
        // Fields after the command name start at field 3; the start time (in clock ticks since boot) is field 22.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 19, let startTicks = Double(fields[19]),
              let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) })
        else { return now }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticksPerSecond > 0 else { return now }
        let bootTime = now - uptime
        return bootTime + startTicks / ticksPerSecond
    }

    /// Reads a `/proc` file (they report size 0, so read until the end).
    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count < 64 * 1024 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
