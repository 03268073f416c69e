import Accounts
import Storage
import TraceModel

/// A `TraceReader` that shows only what a `ServiceScope` allows, built per request around the
/// shared reader. An unrestricted scope passes every call straight to the base reader.
///
/// What a restricted scope sees:
/// - `services()`: only allowed services; `operations(service:kind:)` of a disallowed service: none.
/// - `trace(id:)` / `traces(ids:)`: every span keeps its place, but a span of a disallowed service
///   becomes a restricted-span placeholder (`restrictedPlaceholder(of:)`: ids and timing only). A
///   trace without one allowed span is not found (empty, or absent from `traces(ids:)`).
/// - `findTraces`: a trace is found only through a span of an allowed service (a search naming a
///   disallowed service finds nothing; a search naming no service is run once per allowed service
///   and merged, newest trace start first, so a match in a hidden span never lists a trace). Each
///   summary counts only allowed spans (`spanCount`, `errorCount`, `services`); a root of a
///   disallowed service is shown as `restricted`. Start, end and dropped count stay those of the
///   whole trace, as the waterfall shows them too.
/// - `dependencies`: only edges whose both ends are allowed; `serviceActivity`: only allowed
///   services; `droppedSpanCounts`: only for traces with at least one allowed span.
public struct ScopedTraceReader: TraceReader {
    public let base: any TraceReader
    public let scope: ServiceScope

    public init(base: any TraceReader, scope: ServiceScope) {
        self.base = base
        self.scope = scope
    }

    /// The reader to use for `scope`: `base` itself when the scope is unrestricted, else a
    /// `ScopedTraceReader` around it.
    public static func reader(base: any TraceReader, scope: ServiceScope) -> any TraceReader {
        scope == .unrestricted ? base : ScopedTraceReader(base: base, scope: scope)
    }

    /// Whether this reader passes everything through.
    public var isUnrestricted: Bool { scope == .unrestricted }

    public func services() async throws -> [String] {
        let all = try await base.services()
        return isUnrestricted ? all : all.filter(scope.allows(service:))
    }

    public func operations(service: String, kind: SpanKind?) async throws -> [Operation] {
        guard scope.allows(service: service) else { return [] }
        return try await base.operations(service: service, kind: kind)
    }

    public func trace(id: TraceID) async throws -> [Span] {
        try await scopedTrace(id: id).spans
    }

    public func traces(ids: [TraceID]) async throws -> [TraceID: [Span]] {
        try await scopedTraces(ids: ids).mapValues(\.spans)
    }

    /// The trace as `trace(id:)` gives it, with which of its spans are placeholders; empty when
    /// the trace is unknown or has no allowed span.
    public func scopedTrace(id: TraceID) async throws -> ScopedTrace {
        let spans = try await base.trace(id: id)
        return restrict(spans) ?? ScopedTrace(spans: [], restrictedSpanIDs: [])
    }

    /// Each trace as `scopedTrace(id:)` gives it; unknown traces and traces without an allowed
    /// span are absent.
    public func scopedTraces(ids: [TraceID]) async throws -> [TraceID: ScopedTrace] {
        try await base.traces(ids: ids).compactMapValues(restrict)
    }

    public func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        let links = try await base.dependencies(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        if isUnrestricted { return links }
        return links.filter { scope.allows(service: $0.parent) && scope.allows(service: $0.child) }
    }

    public func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        let activity = try await base.serviceActivity(startUnixNano: startUnixNano, endUnixNano: endUnixNano)
        return isUnrestricted ? activity : activity.filter { scope.allows(service: $0.service) }
    }

    public func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] {
        let counts = try await base.droppedSpanCounts(ids: ids)
        if isUnrestricted || counts.isEmpty { return counts }
        // Truncated traces are rare: only those are loaded to learn whether the caller may see them.
        let visible = try await base.traces(ids: Array(counts.keys))
            .filter { $0.value.contains { scope.allows(service: $0.serviceName) } }
        return counts.filter { visible[$0.key] != nil }
    }

    /// The spans with disallowed ones replaced by placeholders, or nil when none is allowed.
    func restrict(_ spans: [Span]) -> ScopedTrace? {
        if isUnrestricted { return spans.isEmpty ? nil : ScopedTrace(unrestricted: spans) }
        var restricted = Set<SpanID>()
        var anyAllowed = false
        let shown = spans.map { span in
            if scope.allows(service: span.serviceName) {
                anyAllowed = true
                return span
            }
            restricted.insert(span.spanID)
            return Self.restrictedPlaceholder(of: span)
        }
        return anyAllowed ? ScopedTrace(spans: shown, restrictedSpanIDs: restricted) : nil
    }
}
