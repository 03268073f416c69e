import Foundation
import Logging
import NIOCore
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Stores a batch in one transaction (dictionaries, spans, trace parts, attribute keys) and
    /// returns after it committed. Spans already stored (same trace id, span id and start) are
    /// skipped, and only newly inserted spans count in the trace summaries. With a per-trace limit,
    /// spans of a trace that is full are left out, listed in the receipt and recorded as the
    /// trace's dropped-span count (see `TraceSpanLimit`).
    public func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        guard !spans.isEmpty else { return WriteReceipt() }
        let batch = SpanBatch(spans)
        try await ensurePartitions(days: batch.days)
        do {
            return try await storeRetryingConflict(spans, batch, limits: limits)
        } catch where Self.isMissingPartition(error) {
            // "no partition of relation found for row": a partition we believed in was dropped
            // (retention) by another process. Recreate and retry once.
            logger.info("a day partition disappeared; recreating it", metadata: ["days": "\(batch.days.sorted())"])
            forgetPartitions()
            try await ensurePartitions(days: batch.days)
            return try await store(spans, batch, limits: limits)
        }
    }

    /// Stores the batch, retrying once if PostgreSQL aborted the transaction for a deadlock or a
    /// serialization failure with another writer's (several ingest writers run at once; they lock
    /// dictionary and attribute-key rows in sorted order, so this should not happen, but if it does
    /// the transaction rolled back whole and is safe to repeat).
    private func storeRetryingConflict(_ spans: [Span], _ batch: SpanBatch, limits: WriteLimits) async throws -> WriteReceipt {
        do {
            return try await store(spans, batch, limits: limits)
        } catch where Self.isTransactionConflict(error) {
            logger.notice("a write transaction hit a deadlock or serialization failure; retrying it once")
            return try await store(spans, batch, limits: limits)
        }
    }

    /// Deadlock detected (40P01) or serialization failure (40001), also when raised inside a transaction.
    static func isTransactionConflict(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState]
            return state == "40P01" || state == "40001"
        }
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.commitError {
            return isTransactionConflict(inner)
        }
        return false
    }

    /// "no partition of relation found for row" (SQLSTATE 23514), also when raised inside a transaction.
    static func isMissingPartition(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23514" }
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.commitError {
            return isMissingPartition(inner)
        }
        return false
    }

    private func store(_ spans: [Span], _ batch: SpanBatch, limits: WriteLimits) async throws -> WriteReceipt {
        let now = Int64(Date().timeIntervalSince1970)
        let keys = cache.withLock { cache in
            batch.attributeKeys.filter { entry in
                guard let written = cache.attributeKeysWritten[.init(key: entry.key, source: entry.source)] else { return true }
                return now - written > 600
            }
        }
        let (resolved, receipt) = try await client.withTransaction(logger: logger) { connection in
            var kept = batch
            var receipt = WriteReceipt()
            var drops: [TraceSpanLimit.Drop] = []
            if limits.maxSpansPerTrace != .max {
                let limit = TraceSpanLimit(maxSpansPerTrace: limits.maxSpansPerTrace)
                if let plan = try await limit.plan(spans, store: self, connection: connection) {
                    kept = SpanBatch(plan.kept)
                    receipt.spansOverTraceLimit = plan.leftOut
                    drops = plan.drops
                }
            }
            let resolved = try await resolveDictionaries(
                services: kept.services, operations: kept.operations, resources: kept.resources,
                scopes: kept.scopes, connection: connection)
            if !kept.rows.isEmpty {
                try await insertSpans(kept, resolved: resolved, connection: connection)
                try await markRollupMinutes(kept, connection: connection)
            }
            try await recordDrops(drops, connection: connection)
            try await upsertAttributeKeys(keys, connection: connection)
            return (resolved, receipt)
        }
        remember(resolved)
        cache.withLock { cache in
            for entry in keys { cache.attributeKeysWritten[.init(key: entry.key, source: entry.source)] = now }
        }
        return receipt
    }

    /// Appends one `trace_parts` row per truncated trace: no spans, the number left out.
    private func recordDrops(_ drops: [TraceSpanLimit.Drop], connection: PostgresConnection) async throws {
        guard !drops.isEmpty else { return }
        let traceIDs = drops.map { ByteBuffer(bytes: $0.traceID.bytes) }
        let starts = drops.map(\.partStart)
        let counts = drops.map { Int32(clamping: $0.count) }
        try await connection.query(
            """
            INSERT INTO trace_parts (trace_id, start_ns, end_ns, span_count, error_count, service_ids,
                service_span_counts, dropped_span_count)
            SELECT t, s, s, 0, 0, '{}', '{}', d FROM unnest(\(traceIDs)::bytea[], \(starts)::int8[], \(counts)::int4[]) AS u(t, s, d)
            """, logger: logger)
    }

    private func insertSpans(_ batch: SpanBatch, resolved: ResolvedDictionaries, connection: PostgresConnection) async throws {
        var serviceIDs: [Int32] = [], operationIDs: [Int32] = [], resourceIDs: [Int64] = [], scopeIDs: [Int64] = []
        serviceIDs.reserveCapacity(batch.rows.count)
        operationIDs.reserveCapacity(batch.rows.count)
        resourceIDs.reserveCapacity(batch.rows.count)
        scopeIDs.reserveCapacity(batch.rows.count)
        for row in batch.rows {
            guard let serviceID = resolved.serviceIDs[row.operation.service],
                  let operationID = resolved.operationIDs[.init(serviceID: serviceID, name: row.operation.name, kind: row.operation.kind)],
                  let resourceID = resolved.resourceIDs[row.resourceHash],
                  let scopeID = resolved.scopeIDs[row.scopeHash]
            else { throw PostgresTraceStoreError.dictionaryEntryMissing }
            serviceIDs.append(serviceID)
            operationIDs.append(operationID)
            resourceIDs.append(resourceID)
            scopeIDs.append(scopeID)
        }
        let c = batch.columns
        try await connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest(
                    \(c.traceIDs)::bytea[], \(c.spanIDs)::bytea[], \(c.parentSpanIDs)::bytea[], \(c.starts)::int8[],
                    \(c.durations)::int8[], \(serviceIDs)::int4[], \(operationIDs)::int4[], \(resourceIDs)::int8[],
                    \(scopeIDs)::int8[], \(c.kinds)::int2[], \(c.statusCodes)::int2[], \(c.statusMessages)::text[],
                    \(c.traceStates)::text[], \(c.flags)::int8[], \(c.httpRoutes)::text[], \(c.httpStatusCodes)::int4[],
                    \(c.dbSystems)::text[], \(c.peerServices)::text[], \(c.isErrors)::bool[], \(c.attributes)::text[],
                    \(c.events)::text[], \(c.links)::text[], \(c.droppedAttributes)::int4[], \(c.droppedEvents)::int4[],
                    \(c.droppedLinks)::int4[]
                ) AS t(trace_id, span_id, parent_span_id, start_ns, duration_ns, service_id, operation_id, resource_id,
                       scope_id, kind, status_code, status_message, trace_state, flags, http_route, http_status_code,
                       db_system, peer_service, is_error, attributes, events, links, dropped_attributes_count,
                       dropped_events_count, dropped_links_count)
            ), inserted AS (
                INSERT INTO spans (trace_id, span_id, parent_span_id, start_ns, duration_ns, service_id, operation_id,
                    resource_id, scope_id, kind, status_code, status_message, trace_state, flags, http_route,
                    http_status_code, db_system, peer_service, is_error, attributes, events, links,
                    dropped_attributes_count, dropped_events_count, dropped_links_count)
                SELECT trace_id, span_id, NULLIF(parent_span_id, ''::bytea), start_ns, duration_ns, service_id, operation_id,
                    resource_id, scope_id, kind, status_code, NULLIF(status_message, ''), NULLIF(trace_state, ''), flags,
                    NULLIF(http_route, ''), NULLIF(http_status_code, -1), NULLIF(db_system, ''), NULLIF(peer_service, ''),
                    is_error, attributes::jsonb, NULLIF(events, '')::jsonb, NULLIF(links, '')::jsonb,
                    NULLIF(dropped_attributes_count, 0), NULLIF(dropped_events_count, 0), NULLIF(dropped_links_count, 0)
                FROM input
                ON CONFLICT DO NOTHING
                RETURNING trace_id, span_id, parent_span_id, start_ns, duration_ns, service_id, operation_id, is_error
            ), per_service AS (
                SELECT trace_id, service_id, count(*)::int AS span_count FROM inserted GROUP BY trace_id, service_id
            ), per_trace AS (
                SELECT trace_id, min(start_ns) AS start_ns, max(start_ns + greatest(duration_ns, 0)) AS end_ns,
                    count(*)::int AS span_count, (count(*) FILTER (WHERE is_error))::int AS error_count,
                    (array_agg(service_id ORDER BY start_ns, span_id) FILTER (WHERE parent_span_id IS NULL))[1] AS root_service_id,
                    (array_agg(operation_id ORDER BY start_ns, span_id) FILTER (WHERE parent_span_id IS NULL))[1] AS root_operation_id
                FROM inserted GROUP BY trace_id
            ), services_per_trace AS (
                SELECT trace_id, array_agg(service_id ORDER BY service_id) AS service_ids,
                    array_agg(span_count ORDER BY service_id) AS service_span_counts
                FROM per_service GROUP BY trace_id
            )
            INSERT INTO trace_parts (trace_id, start_ns, end_ns, span_count, error_count, root_service_id,
                root_operation_id, service_ids, service_span_counts)
            SELECT t.trace_id, t.start_ns, t.end_ns, t.span_count, t.error_count, t.root_service_id, t.root_operation_id,
                s.service_ids, s.service_span_counts
            FROM per_trace t JOIN services_per_trace s ON s.trace_id = t.trace_id
            """, logger: logger)
    }

    private func upsertAttributeKeys(_ keys: [SpanBatch.AttributeKeyEntry], connection: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        // Sorted and unique, so concurrent writers lock rows in the same order.
        let names = keys.map(\.key), sources = keys.map(\.source), types = keys.map(\.valueType)
        try await connection.query(
            """
            INSERT INTO attribute_keys (key, source, value_type, last_seen)
            SELECT k, s, t, now() FROM unnest(\(names)::text[], \(sources)::int2[], \(types)::int2[]) AS u(k, s, t)
            ON CONFLICT (key, source) DO UPDATE SET value_type = EXCLUDED.value_type, last_seen = EXCLUDED.last_seen
            """, logger: logger)
    }
}
