import TraceModel

/// What a search result row shows about a trace without loading its spans.
public struct TraceSummary: Hashable, Sendable {
    public var traceID: TraceID
    public var startUnixNano: UInt64
    public var endUnixNano: UInt64
    /// The root span's service and name; `nil` when the root has not arrived.
    public var rootService: String?
    public var rootOperation: String?
    public var spanCount: Int
    public var errorCount: Int
    /// Span count per service touched, sorted by service name.
    public var services: [ServiceSpanCount]
    /// Spans of the trace left out by the per-trace limit; more than 0 means the trace is truncated.
    public var droppedSpanCount: Int

    public init(
        traceID: TraceID, startUnixNano: UInt64, endUnixNano: UInt64, rootService: String?,
        rootOperation: String?, spanCount: Int, errorCount: Int, services: [ServiceSpanCount],
        droppedSpanCount: Int = 0
    ) {
        self.traceID = traceID
        self.startUnixNano = startUnixNano
        self.endUnixNano = endUnixNano
        self.rootService = rootService
        self.rootOperation = rootOperation
        self.spanCount = spanCount
        self.errorCount = errorCount
        self.services = services
        self.droppedSpanCount = droppedSpanCount
    }

    public var durationNanos: UInt64 { endUnixNano >= startUnixNano ? endUnixNano - startUnixNano : 0 }
}

/// A service and how many spans of a trace it produced.
public struct ServiceSpanCount: Hashable, Sendable {
    public var service: String
    public var spanCount: Int

    public init(service: String, spanCount: Int) {
        self.service = service
        self.spanCount = spanCount
    }
}
