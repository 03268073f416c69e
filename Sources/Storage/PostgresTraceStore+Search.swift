import Logging
import NIOCore
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Finds matching spans (every condition on one span), keeps the `limit` traces whose newest
    /// matching span started last, then builds their summaries from `trace_parts`.
    public func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        guard query.limit > 0, query.startMinUnixNano <= query.startMaxUnixNano else { return [] }
        var sql = SearchSQL()
        var conditions = [
            "s.start_ns BETWEEN \(sql.bind(Self.storedNanos(query.startMinUnixNano))) AND \(sql.bind(Self.storedNanos(query.startMaxUnixNano)))",
        ]
        let serviceParameter = query.service.map { sql.bind($0) }
        if let serviceParameter {
            conditions.append("s.service_id = (SELECT id FROM services WHERE name = \(serviceParameter))")
        }
        if let operation = query.operation {
            let serviceCondition = serviceParameter.map { "AND service_id = (SELECT id FROM services WHERE name = \($0))" } ?? ""
            conditions.append("s.operation_id IN (SELECT id FROM operations WHERE name = \(sql.bind(operation)) \(serviceCondition))")
        }
        if let minimum = query.durationMinNanos {
            conditions.append("greatest(s.duration_ns, 0) >= \(sql.bind(Self.storedNanos(minimum)))")
        }
        if let maximum = query.durationMaxNanos {
            conditions.append("greatest(s.duration_ns, 0) <= \(sql.bind(Self.storedNanos(maximum)))")
        }
        if query.errorsOnly { conditions.append("s.is_error") }
        for (key, value) in query.attributes.sorted(by: { $0.key < $1.key }) {
            let keyParameter = sql.bind(key)
            conditions.append(
                """
                skein_attribute_text(coalesce(s.attributes -> \(keyParameter)::text,
                    (SELECT r.attributes -> \(keyParameter)::text FROM resources r WHERE r.id = s.resource_id))) = \(sql.bind(value))
                """)
        }
        let limit = sql.bind(Int64(query.limit))
        let text = """
            SELECT s.trace_id, max(s.start_ns) AS newest FROM spans s
            WHERE \(conditions.joined(separator: "\n  AND "))
            GROUP BY s.trace_id ORDER BY newest DESC, s.trace_id LIMIT \(limit)
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: text, binds: sql.bindings), logger: logger)
        var chosen: [ByteBuffer] = []
        for try await (traceID, _) in rows.decode((ByteBuffer, Int64).self) { chosen.append(traceID) }
        return try await summaries(of: chosen)
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
