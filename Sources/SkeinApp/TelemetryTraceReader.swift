import Synchronization
import Storage
import TraceModel

/// A `TraceReader` for pages and the Jaeger API that counts the reads in flight
/// (`skein_db_queries_in_flight`: each holds a pooled database connection; postgres-nio's pool
/// exposes no figures of its own) and does not let a read wait out a database outage.
///
/// While PostgreSQL is away, postgres-nio keeps a read waiting for a connection until its
/// reconnect attempts give up (about a minute). So once a read has run for `patience`, the
/// database is probed, and again after each further `patience`; when the probe fails the read is
/// cancelled and fails with `DatabaseUnreachableError`, and the page or API answers 503 at once.
final class TelemetryTraceReader: TraceReader {
    /// A read was abandoned because the database stopped answering.
    struct DatabaseUnreachableError: Error {}

    private let base: any TraceReader
    private let probe: @Sendable () async -> Bool
    private let patience: Duration
    private let inFlight = Atomic<Int>(0)
    private let lastFoundUnreachable = Mutex<ContinuousClock.Instant?>(nil)

    /// - Parameters:
    ///   - probe: whether the database answers now (bounded in time).
    ///   - patience: how long a read runs before the database is probed.
    init(_ base: any TraceReader, probe: @escaping @Sendable () async -> Bool, patience: Duration = .seconds(3)) {
        self.base = base
        self.probe = probe
        self.patience = patience
    }

    /// Reads started and not finished yet.
    var readsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Whether a read was abandoned for an unanswered probe within the last `patience`: the page
    /// or API answering that read need not probe again.
    var foundUnreachableJustNow: Bool {
        guard let instant = lastFoundUnreachable.withLock({ $0 }) else { return false }
        return ContinuousClock.now - instant < patience
    }

    private func counting<T: Sendable>(_ read: @escaping @Sendable () async throws -> T) async throws -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        let probe = probe, patience = patience
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await read() }
            group.addTask { [self] in
                while true {
                    try await Task.sleep(for: patience)
                    if await !probe() {
                        lastFoundUnreachable.withLock { $0 = .now }
                        throw DatabaseUnreachableError()
                    }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw DatabaseUnreachableError()
        }
    }

    func services() async throws -> [String] {
        try await counting { [base] in try await base.services() }
    }

    func operations(service: String, kind: SpanKind?) async throws -> [Operation] {
        try await counting { [base] in try await base.operations(service: service, kind: kind) }
    }

    func trace(id: TraceID) async throws -> [Span] {
        try await counting { [base] in try await base.trace(id: id) }
    }

    func traces(ids: [TraceID]) async throws -> [TraceID: [Span]] {
        try await counting { [base] in try await base.traces(ids: ids) }
    }

    func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        try await counting { [base] in try await base.findTraces(query) }
    }

    func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        try await counting { [base] in try await base.dependencies(startUnixNano: startUnixNano, endUnixNano: endUnixNano) }
    }

    func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        try await counting { [base] in try await base.serviceActivity(startUnixNano: startUnixNano, endUnixNano: endUnixNano) }
    }

    func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] {
        try await counting { [base] in try await base.droppedSpanCounts(ids: ids) }
    }
}
