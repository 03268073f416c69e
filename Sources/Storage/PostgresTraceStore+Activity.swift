import Logging
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Calls parent service → child service: child spans started in the window whose parent (same
    /// trace, span id = the child's parent id) started within an hour of the child, anywhere, and
    /// belongs to another service. Whole minutes that are rolled up come from
    /// `rollup_edge_minutes`; the partial minutes at the window's edges and minutes not rolled up
    /// (or dirty again) are computed live, all in one statement, so the answer is that of one
    /// snapshot and equals `liveDependencies` exactly.
    public func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        let window = RollupWindow(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        let counts = try await rows(
            """
            WITH \(Self.liveRangesSQL),
            live AS (
                SELECT p.service_id AS parent_id, c.service_id AS child_id, count(*) AS calls
                FROM live_ranges r CROSS JOIN LATERAL (\(Self.childSpansInRangeSQL)) c
                CROSS JOIN LATERAL (\(Self.parentOfChildSQL)) p
                WHERE p.service_id <> c.service_id
                GROUP BY p.service_id, c.service_id
            ), rolled AS (
                SELECT parent_service_id, child_service_id, sum(call_count)
                FROM rollup_edge_minutes WHERE minute IN (SELECT minute FROM clean)
                GROUP BY parent_service_id, child_service_id
            )
            SELECT parent_id::int8, child_id::int8, sum(calls)::int8
            FROM (SELECT * FROM live UNION ALL SELECT * FROM rolled) AS both_parts (parent_id, child_id, calls)
            GROUP BY parent_id, child_id
            """.with(window))
        return try await links(from: counts)
    }

    /// `dependencies` computed from `spans` alone, ignoring the rollups: the reference the rollup
    /// answers are compared with (tests, and checking a database by hand).
    public func liveDependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        let window = RollupWindow(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        let counts = try await rows(
            """
            WITH r AS (SELECT \(window.start)::int8 AS from_ns, \(window.end)::int8 AS to_ns)
            SELECT p.service_id::int8, c.service_id::int8, count(*)
            FROM r CROSS JOIN LATERAL (\(unescaped: Self.childSpansInRangeSQL)) c
            CROSS JOIN LATERAL (\(unescaped: Self.parentOfChildSQL)) p
            WHERE p.service_id <> c.service_id
            GROUP BY p.service_id, c.service_id
            """)
        return try await links(from: counts)
    }

    /// Services with spans started in the window, with span and error counts, busiest first: whole
    /// rolled-up minutes from `rollup_service_minutes`, the rest live (as `dependencies`).
    public func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        let window = RollupWindow(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        let counts = try await rows(
            """
            WITH \(Self.liveRangesSQL),
            live AS (
                SELECT s.service_id, count(*) AS spans, count(*) FILTER (WHERE s.is_error) AS errors
                FROM live_ranges r CROSS JOIN LATERAL (\(Self.spansInRangeSQL)) s
                GROUP BY s.service_id
            ), rolled AS (
                SELECT service_id, sum(span_count), sum(error_count)
                FROM rollup_service_minutes WHERE minute IN (SELECT minute FROM clean)
                GROUP BY service_id
            )
            SELECT service_id::int8, sum(spans)::int8, sum(errors)::int8
            FROM (SELECT * FROM live UNION ALL SELECT * FROM rolled) AS both_parts (service_id, spans, errors)
            GROUP BY service_id
            """.with(window))
        return try await activity(from: counts)
    }

    /// `serviceActivity` computed from `spans` alone, ignoring the rollups (as `liveDependencies`).
    public func liveServiceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        let window = RollupWindow(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        let counts = try await rows(
            """
            SELECT service_id::int8, count(*), count(*) FILTER (WHERE is_error)
            FROM spans WHERE start_ns BETWEEN \(window.start) AND \(window.end)
            GROUP BY service_id
            """)
        return try await activity(from: counts)
    }

    /// Runs a statement returning three integer columns in a transaction without JIT (see
    /// `withoutJITSQL`) and collects its rows, every column as Int64.
    private func rows(_ query: PostgresQuery) async throws -> [(Int64, Int64, Int64)] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(Self.withoutJITSQL, logger: logger)
            var rows: [(Int64, Int64, Int64)] = []
            for try await row in try await connection.query(query, logger: logger) {
                let (a, b, c) = try row.decode((Int64, Int64, Int64).self)
                rows.append((a, b, c))
            }
            return rows
        }
    }

    private func links(from rows: [(Int64, Int64, Int64)]) async throws -> [DependencyLink] {
        let counts = rows.map { (parent: Int32(truncatingIfNeeded: $0.0), child: Int32(truncatingIfNeeded: $0.1), count: $0.2) }
        let names = try await lookUp(serviceIDs: Set(counts.flatMap { [$0.parent, $0.child] }))
        return counts.map {
            DependencyLink(
                parent: names.serviceNames[$0.parent] ?? "unknown_service", child: names.serviceNames[$0.child] ?? "unknown_service",
                callCount: Int($0.count))
        }
        .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
    }

    private func activity(from rows: [(Int64, Int64, Int64)]) async throws -> [ServiceActivity] {
        let counts = rows.map { (service: Int32(truncatingIfNeeded: $0.0), spans: $0.1, errors: $0.2) }
        let names = try await lookUp(serviceIDs: Set(counts.map(\.service)))
        return counts.map {
            ServiceActivity(service: names.serviceNames[$0.service] ?? "unknown_service", spanCount: Int($0.spans), errorCount: Int($0.errors))
        }
        .sorted { ($1.spanCount, $0.service) < ($0.spanCount, $1.service) }
    }

    /// Two CTEs over the window's parameters ($1 start, $2 end, $3..$4 its whole minutes):
    /// `clean`, the whole minutes rolled up and not dirty; `live_ranges`, the nanosecond ranges of
    /// the window they leave (the partial edge minutes and every run of minutes not clean).
    static let liveRangesSQL = """
        clean AS (
            SELECT m.minute FROM rollup_minutes m
            WHERE m.minute BETWEEN $3 AND $4
              AND NOT EXISTS (SELECT 1 FROM rollup_dirty_minutes d WHERE d.minute = m.minute)
        ), covered AS (
            SELECT minute * 60000000000 AS from_ns, minute * 60000000000 + 59999999999 AS to_ns FROM clean
            UNION ALL SELECT $1::int8, $1::int8 - 1
        ), live_ranges AS (
            SELECT to_ns + 1 AS from_ns, coalesce(next_from - 1, $2::int8) AS to_ns
            FROM (SELECT from_ns, to_ns, lead(from_ns) OVER (ORDER BY from_ns, to_ns) AS next_from FROM covered) AS ordered
            WHERE to_ns + 1 <= coalesce(next_from - 1, $2::int8)
        )
        """
}

/// A reader's window in stored nanoseconds and the whole minutes inside it, as the bound
/// parameters `$1`…`$4` of `PostgresTraceStore.liveRangesSQL`.
struct RollupWindow {
    var start: Int64
    var end: Int64
    /// Whole minutes of the window; an empty range (`1...0`) when there are none.
    var firstMinute: Int64
    var lastMinute: Int64

    init(startUnixNano: UInt64, endUnixNano: UInt64) {
        start = PostgresTraceStore.storedNanos(startUnixNano)
        end = PostgresTraceStore.storedNanos(endUnixNano)
        let whole = RollupMinutes.wholeMinutes(start: start, end: end)
        firstMinute = whole?.lowerBound ?? 1
        lastMinute = whole?.upperBound ?? 0
    }
}

extension String {
    /// This SQL text (holding `$1`…`$4` placeholders and nothing from input) with the window's
    /// values bound to them.
    fileprivate func with(_ window: RollupWindow) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(window.start)
        bindings.append(window.end)
        bindings.append(window.firstMinute)
        bindings.append(window.lastMinute)
        return PostgresQuery(unsafeSQL: self, binds: bindings)
    }
}
