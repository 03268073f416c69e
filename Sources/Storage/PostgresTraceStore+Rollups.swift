import Logging
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Marks the minutes a batch touches as dirty, inside the batch's write transaction, so the
    /// rollup job recomputes them and readers answer them live until it has. Young minutes (the
    /// current and previous one by the database clock) are inserted with `DO NOTHING`: no writer
    /// waits on another's lock of the busiest row. Older ("late") minutes use `DO UPDATE`, which
    /// locks the mark: a rollup job that took the same mark waits for this transaction to commit
    /// before computing, or this writer waits for the job and then inserts a new mark. Minutes are
    /// inserted in ascending order, so concurrent writers cannot deadlock on them.
    func markRollupMinutes(_ batch: SpanBatch, connection: PostgresConnection) async throws {
        let minutes = RollupMinutes.touched(starts: batch.columns.starts, durations: batch.columns.durations)
        guard !minutes.isEmpty else { return }
        try await connection.query(
            """
            WITH marked AS (
                SELECT m AS minute, floor(extract(epoch FROM clock_timestamp()) / 60)::int8 AS now_minute
                FROM unnest(\(minutes)::int8[]) AS m
            ), young AS (
                INSERT INTO rollup_dirty_minutes (minute)
                SELECT minute FROM marked WHERE minute >= now_minute - \(RollupMinutes.writerLateMinutes)::int8 ORDER BY minute
                ON CONFLICT (minute) DO NOTHING
            )
            INSERT INTO rollup_dirty_minutes (minute)
            SELECT minute FROM marked WHERE minute < now_minute - \(RollupMinutes.writerLateMinutes)::int8 ORDER BY minute
            ON CONFLICT (minute) DO UPDATE SET marked_at = EXCLUDED.marked_at
            """, logger: logger)
    }

    /// One round of the rollup job: takes up to `limit` dirty minutes that ended at least the
    /// grace period ago and recomputes their rollup rows from `spans`, in one transaction.
    /// Returns how many minutes it rolled up (0 when none was due).
    ///
    /// The marks are taken first (`DELETE … RETURNING`, skipping marks a writer holds locked), and
    /// the rows are computed by later statements: under READ COMMITTED each statement sees every
    /// writer that committed before it started, so every writer whose mark was taken is included;
    /// a writer still to commit into a taken minute has to insert its mark after this transaction
    /// ends, so the minute is dirty again and is answered live until the next round.
    @discardableResult
    public func rollUpDirtyMinutes(limit: Int = 60, graceMinutes: Int64 = RollupMinutes.jobGraceMinutes) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(Self.withoutJITSQL, logger: logger)
            var minutes: [Int64] = []
            let taken = try await connection.query(
                """
                DELETE FROM rollup_dirty_minutes WHERE minute IN (
                    SELECT minute FROM rollup_dirty_minutes
                    WHERE minute <= floor(extract(epoch FROM clock_timestamp()) / 60)::int8 - \(graceMinutes)::int8
                    ORDER BY minute LIMIT \(Int64(limit))::int8 FOR UPDATE SKIP LOCKED)
                RETURNING minute
                """, logger: logger)
            for try await minute in taken.decode(Int64.self) { minutes.append(minute) }
            guard !minutes.isEmpty else { return 0 }
            minutes.sort()
            try await connection.query("DELETE FROM rollup_service_minutes WHERE minute = ANY(\(minutes)::int8[])", logger: logger)
            try await connection.query("DELETE FROM rollup_edge_minutes WHERE minute = ANY(\(minutes)::int8[])", logger: logger)
            try await connection.query(
                """
                WITH ranges AS (
                    SELECT m AS minute, m * 60000000000 AS from_ns, m * 60000000000 + 59999999999 AS to_ns
                    FROM unnest(\(minutes)::int8[]) AS m
                )
                INSERT INTO rollup_service_minutes (minute, service_id, span_count, error_count)
                SELECT r.minute, s.service_id, count(*), count(*) FILTER (WHERE s.is_error)
                FROM ranges r CROSS JOIN LATERAL (\(unescaped: Self.spansInRangeSQL)) s
                GROUP BY r.minute, s.service_id
                """, logger: logger)
            try await connection.query(
                """
                WITH ranges AS (
                    SELECT m AS minute, m * 60000000000 AS from_ns, m * 60000000000 + 59999999999 AS to_ns
                    FROM unnest(\(minutes)::int8[]) AS m
                )
                INSERT INTO rollup_edge_minutes (minute, parent_service_id, child_service_id, call_count)
                SELECT r.minute, p.service_id, c.service_id, count(*)
                FROM ranges r CROSS JOIN LATERAL (\(unescaped: Self.childSpansInRangeSQL)) c
                CROSS JOIN LATERAL (\(unescaped: Self.parentOfChildSQL)) p
                WHERE p.service_id <> c.service_id
                GROUP BY r.minute, p.service_id, c.service_id
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO rollup_minutes (minute) SELECT unnest(\(minutes)::int8[])
                ON CONFLICT (minute) DO UPDATE SET rolled_up_at = now()
                """, logger: logger)
            return minutes.count
        }
    }

    /// Runs rollup rounds until no dirty minute is due (the bench calls this after loading a
    /// dataset; `skein serve` has `RollupService`). Returns how many minutes were rolled up.
    @discardableResult
    public func rollUpAllDirtyMinutes(graceMinutes: Int64 = RollupMinutes.jobGraceMinutes) async throws -> Int {
        var total = 0
        while !Task.isCancelled {
            let done = try await rollUpDirtyMinutes(graceMinutes: graceMinutes)
            if done == 0 { return total }
            total += done
        }
        return total
    }

    // MARK: SQL shared by the rollup job and the live part of the readers
    // The `OFFSET 0` keeps each subquery a subquery: otherwise PostgreSQL flattens it into the
    // join, turns the range into a join filter and scans every span of every partition.

    /// Spans started in `[r.from_ns, r.to_ns]`, through the `(service_id, start_ns)` index: with
    /// every service id listed, PostgreSQL descends the index once per service instead of
    /// scanning the day's partition (there is no index led by `start_ns`).
    static let spansInRangeSQL = """
        SELECT service_id, is_error FROM spans
        WHERE service_id = ANY(ARRAY(SELECT id FROM services)) AND start_ns BETWEEN r.from_ns AND r.to_ns
        OFFSET 0
        """

    /// Spans with a parent started in `[r.from_ns, r.to_ns]` (as `spansInRangeSQL`).
    static let childSpansInRangeSQL = """
        SELECT trace_id, parent_span_id, start_ns, service_id FROM spans
        WHERE service_id = ANY(ARRAY(SELECT id FROM services)) AND start_ns BETWEEN r.from_ns AND r.to_ns
          AND parent_span_id IS NOT NULL
        OFFSET 0
        """

    /// The parent `p` of child `c`: by primary key, started within `RollupMinutes.parentWindowNanos`
    /// of the child (which also bounds the partitions searched).
    static let parentOfChildSQL = """
        SELECT p.service_id FROM spans p
        WHERE p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
          AND p.start_ns BETWEEN c.start_ns - \(RollupMinutes.parentWindowNanos)
              AND least(c.start_ns, \(Int64.max - RollupMinutes.parentWindowNanos)) + \(RollupMinutes.parentWindowNanos)
        OFFSET 0
        """

    /// Applies to the transaction it runs in. PostgreSQL's JIT compiler takes about half a second
    /// for these statements (their estimated cost is high: the planner cannot tell how short the
    /// ranges are), far more than running them.
    static let withoutJITSQL: PostgresQuery = "SET LOCAL jit = off"
}
