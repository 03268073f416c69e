import TraceModel

/// Reads traces back for the query API and the pages.
///
/// Contract: what `TraceWriter.write` has committed MUST be visible to the next call. Spans of a
/// trace MUST come back with every field they were written with (typed attributes, events, links,
/// resource, scope, status, ids, timestamps in nanoseconds). Attributes are a map, as in
/// OpenTelemetry: their order is not preserved (a key written twice keeps its last value).
public protocol TraceReader: Sendable {
    /// Every service name that has spans, sorted.
    func services() async throws -> [String]
    /// Operations (span names) of a service, optionally of one span kind, sorted by name then kind.
    func operations(service: String, kind: SpanKind?) async throws -> [Operation]
    /// All spans of a trace, ordered by start time; empty when the trace is unknown.
    func trace(id: TraceID) async throws -> [Span]
    /// All spans of each trace, as `trace(id:)` gives them, in one round trip where the store can;
    /// unknown ids are absent from the result.
    func traces(ids: [TraceID]) async throws -> [TraceID: [Span]]
    /// Traces that have at least one span matching every condition of the query, newest first.
    func findTraces(_ query: TraceQuery) async throws -> [TraceSummary]
    /// Calls between services (parent span's service → child span's service): child spans started
    /// in the window whose parent started within an hour of them (`RollupMinutes.parentWindowNanos`),
    /// inside the window or not.
    func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink]
    /// Services with spans that started in the window, with span and error counts, busiest first.
    func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity]
    /// How many spans of each trace were not stored because the trace was full
    /// (`WriteLimits.maxSpansPerTrace`): readers show such a trace as truncated. Traces with none
    /// (and unknown ids) are absent. `TraceSummary.droppedSpanCount` carries the same figure.
    func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int]
}

extension TraceReader {
    /// One `trace(id:)` per id, for stores that have nothing better.
    public func traces(ids: [TraceID]) async throws -> [TraceID: [Span]] {
        var result: [TraceID: [Span]] = [:]
        for id in Set(ids) {
            let spans = try await trace(id: id)
            if !spans.isEmpty { result[id] = spans }
        }
        return result
    }
}

/// A span name as recorded for a service, with its kind.
public struct Operation: Hashable, Sendable {
    public var name: String
    public var kind: SpanKind

    public init(name: String, kind: SpanKind) {
        self.name = name
        self.kind = kind
    }
}

/// One service→service call edge with its count.
public struct DependencyLink: Hashable, Sendable {
    public var parent: String
    public var child: String
    public var callCount: Int

    public init(parent: String, child: String, callCount: Int) {
        self.parent = parent
        self.child = child
        self.callCount = callCount
    }
}

/// How busy a service was in a window.
public struct ServiceActivity: Hashable, Sendable {
    public var service: String
    public var spanCount: Int
    public var errorCount: Int

    public init(service: String, spanCount: Int, errorCount: Int) {
        self.service = service
        self.spanCount = spanCount
        self.errorCount = errorCount
    }
}
