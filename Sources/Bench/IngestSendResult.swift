/// How the server answered one ingest request, in HTTP terms (gRPC codes are mapped:
/// RESOURCE_EXHAUSTED is 429, UNAVAILABLE is 503).
public struct IngestSendResult: Sendable {
    public var status: Int
    /// Seconds the server asked the sender to wait (`Retry-After`), when it did.
    public var retryAfterSeconds: Int?

    public init(status: Int, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// 2xx: the spans were committed (Skein acknowledges only after the write).
    public var isAcknowledged: Bool { (200..<300).contains(status) }
}

/// Sends one pre-encoded body to the server and reports the answer; one per connection or stream,
/// used by one task at a time.
public protocol IngestSender: Sendable {
    func send(_ body: [UInt8]) async throws -> IngestSendResult
    func close() async
}
