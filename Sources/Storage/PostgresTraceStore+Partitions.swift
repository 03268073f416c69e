import Logging
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    static let nanosPerDay: Int64 = 86_400_000_000_000
    /// The advisory lock every Skein process takes while creating partitions ("skein" in ASCII).
    static let partitionLockKey: Int64 = 0x736B_6569_6E00_0001
    /// The day-partitioned tables; each gets a `<table>_YYYYMMDD` partition per UTC day.
    static let partitionedTables = ["spans", "trace_parts"]

    /// Creates the day partitions from yesterday to two days ahead of `nowUnixNano` (UTC), for the
    /// partition manager to call at start and then periodically.
    public func ensurePartitions(around nowUnixNano: UInt64) async throws {
        let today = Self.day(ofNanos: Self.storedNanos(nowUnixNano))
        try await ensurePartitions(days: Set((today - 1)...(today + 2)))
    }

    /// Creates missing partitions for these UTC days (days since 1970-01-01), tolerating other
    /// processes doing the same at the same time.
    func ensurePartitions(days: Set<Int64>) async throws {
        let missing = cache.withLock { days.subtracting($0.partitionDays) }.sorted()
        guard !missing.isEmpty else { return }
        try await client.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.partitionLockKey))", logger: logger).collect()
            for day in missing {
                for table in Self.partitionedTables {
                    // Identifiers and bounds below are computed from an integer day, never from input.
                    let sql = "CREATE TABLE IF NOT EXISTS \(Self.partitionName(table, day: day)) PARTITION OF \(table) "
                        + "FOR VALUES FROM (\(day * Self.nanosPerDay)) TO (\(Self.upperBound(day: day)))"
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
            }
        }
        cache.withLock { $0.partitionDays.formUnion(missing) }
        logger.debug("partitions ready", metadata: ["days": "\(missing.map { Self.dateText(day: $0) })"])
    }

    /// Forgets known partitions (after a write found one missing, e.g. dropped by retention).
    func forgetPartitions() {
        cache.withLock { $0.partitionDays.removeAll() }
    }

    /// Span timestamps are stored as signed 64-bit nanoseconds; later instants (after 2262-04-11)
    /// are clamped to `Int64.max`.
    static func storedNanos(_ nanos: UInt64) -> Int64 {
        Int64(clamping: nanos)
    }

    static func day(ofNanos nanos: Int64) -> Int64 {
        nanos >= 0 ? nanos / nanosPerDay : (nanos + 1) / nanosPerDay - 1
    }

    static func upperBound(day: Int64) -> String {
        let (bound, overflow) = (day + 1).multipliedReportingOverflow(by: nanosPerDay)
        return overflow ? "MAXVALUE" : String(bound)
    }

    static func partitionName(_ table: String, day: Int64) -> String {
        "\(table)_\(dateText(day: day, separator: ""))"
    }

    /// The UTC date of a day number, `YYYY-MM-DD` (or another separator).
    static func dateText(day: Int64, separator: String = "-") -> String {
        CivilDate(daysSinceEpoch: day).text(separator: separator)
    }
}
