import Logging
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    /// Parent→child span pairs of different services, both started in the window.
    public func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        let start = Self.storedNanos(startUnixNano), end = Self.storedNanos(endUnixNano)
        let rows = try await client.query(
            """
            SELECT p.service_id, c.service_id, count(*)
            FROM spans c JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
            WHERE c.start_ns BETWEEN \(start) AND \(end) AND p.start_ns BETWEEN \(start) AND \(end)
              AND p.service_id <> c.service_id
            GROUP BY p.service_id, c.service_id
            """, logger: logger)
        var counts: [(parent: Int32, child: Int32, count: Int64)] = []
        for try await (parent, child, count) in rows.decode((Int32, Int32, Int64).self) { counts.append((parent, child, count)) }
        let names = try await lookUp(serviceIDs: Set(counts.flatMap { [$0.parent, $0.child] }))
        return counts.map {
            DependencyLink(
                parent: names.serviceNames[$0.parent] ?? "unknown_service", child: names.serviceNames[$0.child] ?? "unknown_service",
                callCount: Int($0.count))
        }
        .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
    }

    public func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        let start = Self.storedNanos(startUnixNano), end = Self.storedNanos(endUnixNano)
        let rows = try await client.query(
            """
            SELECT service_id, count(*), count(*) FILTER (WHERE is_error)
            FROM spans WHERE start_ns BETWEEN \(start) AND \(end)
            GROUP BY service_id
            """, logger: logger)
        var counts: [(service: Int32, spans: Int64, errors: Int64)] = []
        for try await (service, spans, errors) in rows.decode((Int32, Int64, Int64).self) { counts.append((service, spans, errors)) }
        let names = try await lookUp(serviceIDs: Set(counts.map(\.service)))
        return counts.map {
            ServiceActivity(service: names.serviceNames[$0.service] ?? "unknown_service", spanCount: Int($0.spans), errorCount: Int($0.errors))
        }
        .sorted { ($1.spanCount, $0.service) < ($0.spanCount, $1.service) }
    }
}
