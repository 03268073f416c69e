import Logging
import PostgresNIO

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

    /// The UTC civil date of a day number (Howard Hinnant's `civil_from_days`).
    static func dateText(day: Int64, separator: String = "-") -> String {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(year, 4) + separator + padded(month, 2) + separator + padded(dayOfMonth, 2)
    }
}
