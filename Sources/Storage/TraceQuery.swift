import TraceModel

/// A trace search, Jaeger style: a trace matches when one of its spans matches every condition.
public struct TraceQuery: Hashable, Sendable {
    public var service: String?
    public var operation: String?
    /// `key=value` conditions on span attributes (or resource attributes) compared as text.
    public var attributes: [String: String]
    /// Span start window (inclusive), Unix nanoseconds.
    public var startMinUnixNano: UInt64
    public var startMaxUnixNano: UInt64
    /// Span duration bounds (inclusive), nanoseconds.
    public var durationMinNanos: UInt64?
    public var durationMaxNanos: UInt64?
    /// Only spans whose status is error.
    public var errorsOnly: Bool
    /// Maximum number of traces returned.
    public var limit: Int

    public init(
        service: String? = nil, operation: String? = nil, attributes: [String: String] = [:],
        startMinUnixNano: UInt64, startMaxUnixNano: UInt64,
        durationMinNanos: UInt64? = nil, durationMaxNanos: UInt64? = nil,
        errorsOnly: Bool = false, limit: Int = 20
    ) {
        self.service = service
        self.operation = operation
        self.attributes = attributes
        self.startMinUnixNano = startMinUnixNano
        self.startMaxUnixNano = startMaxUnixNano
        self.durationMinNanos = durationMinNanos
        self.durationMaxNanos = durationMaxNanos
        self.errorsOnly = errorsOnly
        self.limit = limit
    }
}
