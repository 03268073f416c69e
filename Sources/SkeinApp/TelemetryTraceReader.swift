import Synchronization
import Storage
import TraceModel

/// A `TraceReader` that counts the reads in flight through it (`skein_db_queries_in_flight`):
/// every page and Jaeger API read holds at least one pooled database connection while it runs.
/// postgres-nio's pool exposes no figures of its own, so Skein counts at the reader.
final class TelemetryTraceReader: TraceReader {
    private let base: any TraceReader
    private let inFlight = Atomic<Int>(0)

    init(_ base: any TraceReader) {
        self.base = base
    }

    /// Reads started and not finished yet.
    var readsInFlight: Int { inFlight.load(ordering: .relaxed) }

    private func counting<T>(_ read: () async throws -> T) async throws -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await read()
    }

    func services() async throws -> [String] {
        try await counting { try await base.services() }
    }

    func operations(service: String, kind: SpanKind?) async throws -> [Operation] {
        try await counting { try await base.operations(service: service, kind: kind) }
    }

    func trace(id: TraceID) async throws -> [Span] {
        try await counting { try await base.trace(id: id) }
    }

    func traces(ids: [TraceID]) async throws -> [TraceID: [Span]] {
        try await counting { try await base.traces(ids: ids) }
    }

    func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        try await counting { try await base.findTraces(query) }
    }

    func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        try await counting { try await base.dependencies(startUnixNano: startUnixNano, endUnixNano: endUnixNano) }
    }

    func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        try await counting { try await base.serviceActivity(startUnixNano: startUnixNano, endUnixNano: endUnixNano) }
    }

    func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] {
        try await counting { try await base.droppedSpanCounts(ids: ids) }
    }
}
