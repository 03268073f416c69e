import Logging
import NIOCore
import PostgresNIO
import TraceModel

/// The per-trace span limit as the PostgreSQL store applies it, inside the write transaction:
/// how many spans each trace of the batch already holds (the sum of its `trace_parts`), then, in
/// batch order, which new spans still fit. Spans already stored are rewrites (no-ops) and take no
/// room, so a retried batch is not counted as dropped again.
///
/// Exact within one Skein process (the ingest queue writes one batch at a time). Several writers
/// (replicas) writing spans of one trace at the same moment each see the count before the other
/// commits, so a trace can end up over the limit by what those concurrent batches held.
struct TraceSpanLimit: Sendable {
    var maxSpansPerTrace: Int

    /// What a batch stores and what it leaves out.
    struct Plan: Sendable {
        var kept: [Span]
        var leftOut: [SpanKey]
        var drops: [Drop]
    }

    /// The spans of one trace left out by this batch, and where its `trace_parts` row goes.
    struct Drop: Sendable {
        var traceID: TraceID
        var count: Int
        /// The trace's earliest stored start (or, for a trace with nothing stored, the earliest
        /// start among the batch's spans of it), so the part never widens the trace's time bounds.
        var partStart: Int64
    }

    /// A stored span's identity in PostgreSQL (the primary key).
    private struct StoredKey: Hashable {
        var traceID: TraceID
        var spanID: SpanID
        var start: Int64

        init(_ span: Span) {
            traceID = span.traceID
            spanID = span.spanID
            start = PostgresTraceStore.storedNanos(span.startTimeUnixNano)
        }

        init(traceID: TraceID, spanID: SpanID, start: Int64) {
            self.traceID = traceID
            self.spanID = spanID
            self.start = start
        }
    }

    /// `nil` when every span of the batch fits (one query); otherwise the spans to store, the ones
    /// left out and the drops to record (one more query, over the spans of the full traces only).
    func plan(_ spans: [Span], store: PostgresTraceStore, connection: PostgresConnection) async throws -> Plan? {
        var incoming: [TraceID: Int] = [:]
        for span in spans { incoming[span.traceID, default: 0] += 1 }
        let stored = try await storedCounts(of: Array(incoming.keys), store: store, connection: connection)
        let full = Set(incoming.compactMap { trace, count in
            (stored[trace]?.count ?? 0) + count > maxSpansPerTrace ? trace : nil
        })
        guard !full.isEmpty else { return nil }

        let candidates = spans.filter { full.contains($0.traceID) }
        let alreadyStored = try await storedKeys(candidates, store: store, connection: connection)
        var held = stored.mapValues(\.count)
        var counted: Set<StoredKey> = []
        var plan = Plan(kept: [], leftOut: [], drops: [])
        plan.kept.reserveCapacity(spans.count)
        var dropped: [TraceID: Int] = [:]
        var earliest: [TraceID: Int64] = [:]
        for span in spans {
            guard full.contains(span.traceID) else {
                plan.kept.append(span)
                continue
            }
            let key = StoredKey(span)
            earliest[span.traceID] = min(earliest[span.traceID] ?? key.start, key.start)
            if alreadyStored.contains(key) || counted.contains(key) {
                plan.kept.append(span)
            } else if held[span.traceID, default: 0] < maxSpansPerTrace {
                held[span.traceID, default: 0] += 1
                counted.insert(key)
                plan.kept.append(span)
            } else {
                plan.leftOut.append(SpanKey(span))
                dropped[span.traceID, default: 0] += 1
            }
        }
        guard !plan.leftOut.isEmpty else { return nil }
        plan.drops = dropped.map { trace, count in
            Drop(traceID: trace, count: count, partStart: stored[trace]?.earliestStart ?? earliest[trace] ?? 0)
        }.sorted { $0.traceID.bytes.lexicographicallyPrecedes($1.traceID.bytes) }
        return plan
    }

    /// Spans stored so far per trace, and the earliest start among them.
    private func storedCounts(
        of traces: [TraceID], store: PostgresTraceStore, connection: PostgresConnection
    ) async throws -> [TraceID: (count: Int, earliestStart: Int64)] {
        let keys = traces.map { ByteBuffer(bytes: $0.bytes) }
        let rows = try await connection.query(
            """
            SELECT trace_id, sum(span_count)::int8, min(start_ns) FROM trace_parts
            WHERE trace_id = ANY(\(keys)::bytea[]) GROUP BY trace_id
            """, logger: store.logger)
        var counts: [TraceID: (count: Int, earliestStart: Int64)] = [:]
        for try await (id, count, start) in rows.decode((ByteBuffer, Int64, Int64).self) {
            guard let trace = TraceID(bytes: Array(buffer: id)) else { continue }
            counts[trace] = (Int(count), start)
        }
        return counts
    }

    /// Which of `spans` are already stored (same trace id, span id and start).
    private func storedKeys(_ spans: [Span], store: PostgresTraceStore, connection: PostgresConnection) async throws -> Set<StoredKey> {
        guard !spans.isEmpty else { return [] }
        let traceIDs = spans.map { ByteBuffer(bytes: $0.traceID.bytes) }
        let spanIDs = spans.map { ByteBuffer(bytes: $0.spanID.bytes) }
        let starts = spans.map { PostgresTraceStore.storedNanos($0.startTimeUnixNano) }
        let low = starts.min() ?? 0, high = starts.max() ?? 0
        let rows = try await connection.query(
            """
            SELECT s.trace_id, s.span_id, s.start_ns
            FROM spans s JOIN unnest(\(traceIDs)::bytea[], \(spanIDs)::bytea[], \(starts)::int8[]) AS k(trace_id, span_id, start_ns)
              ON s.trace_id = k.trace_id AND s.span_id = k.span_id AND s.start_ns = k.start_ns
            WHERE s.start_ns BETWEEN \(low) AND \(high)
            """, logger: store.logger)
        var keys: Set<StoredKey> = []
        for try await (trace, span, start) in rows.decode((ByteBuffer, ByteBuffer, Int64).self) {
            guard let traceID = TraceID(bytes: Array(buffer: trace)), let spanID = SpanID(bytes: Array(buffer: span)) else { continue }
            keys.insert(StoredKey(traceID: traceID, spanID: spanID, start: start))
        }
        return keys
    }
}
