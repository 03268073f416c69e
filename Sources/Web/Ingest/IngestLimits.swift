/// Limits applied to every ingest request (OTLP/HTTP and Zipkin).
public struct IngestLimits: Sendable {
    /// Largest accepted body, measured after decompression. Default 16 MiB.
    public var maxBodyBytes: Int
    /// Spans starting longer ago than this are rejected (`timestamp_out_of_range`). Default 10 years.
    public var maxSpanAgeNanos: UInt64
    /// Spans starting further in the future than this are rejected (`timestamp_out_of_range`). Default 1 day.
    public var maxFutureSkewNanos: UInt64

    public init(
        maxBodyBytes: Int = 16 * 1024 * 1024,
        maxSpanAgeNanos: UInt64 = 3_652 * 86_400 * 1_000_000_000,
        maxFutureSkewNanos: UInt64 = 86_400 * 1_000_000_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxSpanAgeNanos = maxSpanAgeNanos
        self.maxFutureSkewNanos = maxFutureSkewNanos
    }
}
