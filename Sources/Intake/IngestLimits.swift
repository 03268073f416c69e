/// Limits applied to every ingest request, whatever the protocol. Each one is configurable
/// (`skein serve --help`); the defaults are in the README's "Limits" table.
public struct IngestLimits: Sendable {
    /// Largest accepted body (or gRPC message), measured after decompression. Default 16 MiB.
    public var maxBodyBytes: Int
    /// A request carrying more spans than this is refused whole (413 / INVALID_ARGUMENT). Default 10,000.
    public var maxSpansPerRequest: Int
    /// Attributes kept per span (and per event and link); the rest are dropped and added to the
    /// span's dropped-attributes count. Default 128.
    public var maxAttributesPerSpan: Int
    /// String and bytes attribute values longer than this are truncated (counted as
    /// `truncated_attribute`). Length is in bytes of UTF-8, cut at a character boundary. Default 4,096.
    public var maxAttributeValueLength: Int
    /// Events kept per span; the rest are dropped and counted in the span's dropped-events count. Default 128.
    public var maxEventsPerSpan: Int
    /// Links kept per span; the rest are dropped and counted in the span's dropped-links count. Default 128.
    public var maxLinksPerSpan: Int
    /// Spans stored per trace; later spans of a full trace are dropped (`trace_too_large`) and the
    /// trace is marked truncated. Default 50,000.
    public var maxSpansPerTrace: Int
    /// Spans starting longer ago than this are rejected (`timestamp_out_of_range`). Default 10 years.
    public var maxSpanAgeNanos: UInt64
    /// Spans starting further in the future than this are rejected (`timestamp_out_of_range`). Default 1 day.
    public var maxFutureSkewNanos: UInt64
    /// A span ending before it starts by no more than this has its end set to its start (counted as
    /// `end_before_start_clamped`); by more, it is rejected (`end_before_start`). Default 1 ms.
    public var endBeforeStartToleranceNanos: UInt64

    public init(
        maxBodyBytes: Int = 16 * 1024 * 1024,
        maxSpansPerRequest: Int = 10_000,
        maxAttributesPerSpan: Int = 128,
        maxAttributeValueLength: Int = 4_096,
        maxEventsPerSpan: Int = 128,
        maxLinksPerSpan: Int = 128,
        maxSpansPerTrace: Int = 50_000,
        maxSpanAgeNanos: UInt64 = 3_652 * 86_400 * 1_000_000_000,
        maxFutureSkewNanos: UInt64 = 86_400 * 1_000_000_000,
        endBeforeStartToleranceNanos: UInt64 = 1_000_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxSpansPerRequest = maxSpansPerRequest
        self.maxAttributesPerSpan = maxAttributesPerSpan
        self.maxAttributeValueLength = maxAttributeValueLength
        self.maxEventsPerSpan = maxEventsPerSpan
        self.maxLinksPerSpan = maxLinksPerSpan
        self.maxSpansPerTrace = maxSpansPerTrace
        self.maxSpanAgeNanos = maxSpanAgeNanos
        self.maxFutureSkewNanos = maxFutureSkewNanos
        self.endBeforeStartToleranceNanos = endBeforeStartToleranceNanos
    }
}
