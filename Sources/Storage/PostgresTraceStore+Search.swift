import Logging
import NIOCore
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Finds the `limit` traces whose newest matching span (one span meeting every condition)
    /// started last, newest first, then builds their summaries from `trace_parts`.
    ///
    /// The window is searched in time slices, newest first, a short one and then longer ones
    /// (`SearchTimeSlices`), stopping after the slice in which `limit` distinct traces are found:
    /// the answer is the same as grouping the whole window (a trace's newest match lies in the
    /// newest slice where it matches, and every trace found in a newer slice ranks above every
    /// trace first found in an older one), but the cost follows the answer, not the window.
    /// Names are resolved to dictionary ids first (an unknown service or operation finds nothing
    /// without touching spans), and an attribute condition also asks the GIN index by
    /// containment (`SearchAttributeCandidates`) and the resources that carry the value.
    public func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        guard query.limit > 0, query.startMinUnixNano <= query.startMaxUnixNano else { return [] }
        guard let conditions = try await searchConditions(query) else { return [] }
        var chosen: [ByteBuffer] = []
        var seen: Set<[UInt8]> = []
        let slices = SearchTimeSlices(
            start: Self.storedNanos(query.startMinUnixNano), end: Self.storedNanos(query.startMaxUnixNano))
        for slice in slices {
            var sql = conditions.sql
            let text = """
                SELECT s.trace_id, max(s.start_ns) AS newest FROM spans s
                WHERE s.start_ns BETWEEN \(sql.bind(slice.start)) AND \(sql.bind(slice.end))\(conditions.text)
                GROUP BY s.trace_id ORDER BY newest DESC, s.trace_id LIMIT \(sql.bind(Int64(query.limit)))
                """
            let rows = try await client.query(PostgresQuery(unsafeSQL: text, binds: sql.bindings), logger: logger)
            // At most `chosen.count` rows are traces found in a newer slice, so the rest holds
            // the best `limit - chosen.count` new traces when there are that many.
            for try await (traceID, _) in rows.decode((ByteBuffer, Int64).self) where chosen.count < query.limit {
                if seen.insert(Array(buffer: traceID)).inserted { chosen.append(traceID) }
            }
            if chosen.count >= query.limit { break }
        }
        return try await summaries(of: chosen)
    }

    /// The conditions of `query` other than time, as SQL (`AND …` lines) with their parameters
    /// bound; nil when nothing can match (a service or operation never seen).
    private func searchConditions(_ query: TraceQuery) async throws -> (sql: SearchSQL, text: String)? {
        var sql = SearchSQL()
        var conditions: [String] = []
        var serviceID: Int32?
        if let service = query.service {
            let rows = try await client.query("SELECT id FROM services WHERE name = \(service)", logger: logger)
            for try await id in rows.decode(Int32.self) { serviceID = id }
            guard let serviceID else { return nil }
            conditions.append("s.service_id = \(sql.bind(serviceID))")
        }
        if let operation = query.operation {
            var operationIDs: [Int32] = []
            let rows = if let serviceID {
                try await client.query(
                    "SELECT id FROM operations WHERE name = \(operation) AND service_id = \(serviceID) ORDER BY id", logger: logger)
            } else {
                try await client.query("SELECT id FROM operations WHERE name = \(operation) ORDER BY id", logger: logger)
            }
            for try await id in rows.decode(Int32.self) { operationIDs.append(id) }
            guard !operationIDs.isEmpty else { return nil }
            conditions.append("s.operation_id = ANY(\(sql.bind(operationIDs))::int4[])")
        }
        if let minimum = query.durationMinNanos {
            conditions.append("greatest(s.duration_ns, 0) >= \(sql.bind(Self.storedNanos(minimum)))")
        }
        if let maximum = query.durationMaxNanos {
            conditions.append("greatest(s.duration_ns, 0) <= \(sql.bind(Self.storedNanos(maximum)))")
        }
        if query.errorsOnly { conditions.append("s.is_error") }
        for (key, value) in query.attributes.sorted(by: { $0.key < $1.key }) {
            conditions.append(try await attributeCondition(key: key, value: value, sql: &sql))
        }
        return (sql, conditions.map { "\n  AND " + $0 }.joined())
    }

    /// `key = value` on the span's attribute, or on its resource's when the span lacks the key:
    /// the exact text comparison, behind a containment test the GIN index can answer, and the
    /// resources holding the value looked up first (a handful of rows) instead of per span.
    private func attributeCondition(key: String, value: String, sql: inout SearchSQL) async throws -> String {
        let keyParameter = sql.bind(key)
        var spanMatch = "skein_attribute_text(s.attributes -> \(keyParameter)::text) = \(sql.bind(value))"
        if let candidates = SearchAttributeCandidates.candidates(key: key, text: value) {
            let contains = candidates.map { "s.attributes @> \(sql.bind($0))::jsonb" }.joined(separator: " OR ")
            spanMatch = "(\(contains)) AND \(spanMatch)"
        }
        var resourceIDs: [Int64] = []
        let rows = try await client.query(
            "SELECT id FROM resources WHERE skein_attribute_text(attributes -> \(key)::text) = \(value) ORDER BY id", logger: logger)
        for try await id in rows.decode(Int64.self) { resourceIDs.append(id) }
        guard !resourceIDs.isEmpty else { return "(\(spanMatch))" }
        return """
            ((\(spanMatch))
                OR (s.resource_id = ANY(\(sql.bind(resourceIDs))::int8[]) AND NOT s.attributes ? \(keyParameter)::text))
            """
    }

    /// Trace summaries, in the order of `traceIDs`, aggregated over each trace's parts.
    func summaries(of traceIDs: [ByteBuffer]) async throws -> [TraceSummary] {
        guard !traceIDs.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT trace_id, start_ns, end_ns, span_count, error_count, root_service_id, root_operation_id,
                service_ids, service_span_counts, dropped_span_count
            FROM trace_parts WHERE trace_id = ANY(\(traceIDs)::bytea[])
            ORDER BY start_ns
            """, logger: logger)
        var parts: [[UInt8]: PartTotals] = [:]
        var serviceIDs: Set<Int32> = []
        var operationIDs: Set<Int32> = []
        for try await (id, start, end, spanCount, errorCount, rootService, rootOperation, services, counts, dropped)
            in rows.decode((ByteBuffer, Int64, Int64, Int32, Int32, Int32?, Int32?, [Int32], [Int32], Int32).self) {
            let key = Array(buffer: id)
            var totals = parts[key] ?? PartTotals(start: start, end: end)
            totals.start = min(totals.start, start)
            totals.end = max(totals.end, end)
            totals.spanCount += Int(spanCount)
            totals.errorCount += Int(errorCount)
            totals.droppedSpanCount += Int(dropped)
            if totals.rootServiceID == nil, let rootService, let rootOperation {
                totals.rootServiceID = rootService
                totals.rootOperationID = rootOperation
                operationIDs.insert(rootOperation)
            }
            for (service, count) in zip(services, counts) { totals.spansPerService[service, default: 0] += Int(count) }
            serviceIDs.formUnion(services)
            parts[key] = totals
        }
        let names = try await lookUp(serviceIDs: serviceIDs, operationIDs: operationIDs)
        return traceIDs.compactMap { buffer in
            let bytes = Array(buffer: buffer)
            guard let totals = parts[bytes], let traceID = TraceID(bytes: bytes) else { return nil }
            let services = totals.spansPerService
                .map { ServiceSpanCount(service: names.serviceNames[$0.key] ?? "unknown_service", spanCount: $0.value) }
                .sorted { $0.service < $1.service }
            return TraceSummary(
                traceID: traceID, startUnixNano: UInt64(max(totals.start, 0)), endUnixNano: UInt64(max(totals.end, 0)),
                rootService: totals.rootServiceID.flatMap { names.serviceNames[$0] },
                rootOperation: totals.rootOperationID.flatMap { names.operations[$0]?.name },
                spanCount: totals.spanCount, errorCount: totals.errorCount, services: services,
                droppedSpanCount: totals.droppedSpanCount)
        }
    }

    private struct PartTotals {
        var start: Int64
        var end: Int64
        var spanCount = 0
        var errorCount = 0
        var droppedSpanCount = 0
        var rootServiceID: Int32?
        var rootOperationID: Int32?
        var spansPerService: [Int32: Int] = [:]
    }
}

/// A search statement's bound parameters, numbered as they are added.
private struct SearchSQL {
    var bindings = PostgresBindings()

    /// Binds a value and returns its placeholder (`$n`).
    mutating func bind(_ value: some PostgresNonThrowingEncodable & PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }
}
