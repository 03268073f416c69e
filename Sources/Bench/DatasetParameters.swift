/// What a benchmark dataset holds: the bulk span count, how many hours back it reaches, and the
/// seed. The same parameters always load the same spans, so `fingerprint` names a dataset.
public struct DatasetParameters: Sendable, Hashable, Codable {
    /// Spans of ordinary demo traffic (the known traces come on top).
    public var spans: Int
    /// The bulk traffic is spread over the last `hours` hours before `endUnixNano`.
    public var hours: Int
    public var seed: UInt64
    /// The end of the time window, rounded to the minute when the dataset was loaded.
    public var endUnixNano: UInt64

    public init(spans: Int, hours: Int, seed: UInt64, endUnixNano: UInt64) {
        self.spans = spans
        self.hours = hours
        self.seed = seed
        self.endUnixNano = endUnixNano
    }

    public var startUnixNano: UInt64 {
        let window = UInt64(hours) * 3_600_000_000_000
        return endUnixNano > window ? endUnixNano - window : 0
    }

    /// Whether a stored dataset can stand in for one asked for with these parameters: the same
    /// sizes and seed (its end time is whenever it was loaded).
    public func matches(_ stored: DatasetParameters) -> Bool {
        spans == stored.spans && hours == stored.hours && seed == stored.seed
    }
}
