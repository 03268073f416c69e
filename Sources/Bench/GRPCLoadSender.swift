import GRPCCore
import GRPCNIOTransportHTTP2

/// Sends the same protobuf bytes as OTLP/HTTP over gRPC (`TraceService/Export`), through one
/// shared HTTP/2 client: the connections of a gRPC load are concurrent streams on it.
public final class GRPCLoadClient: Sendable {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let runTask: Task<Void, any Error>

    public init(port: Int) throws {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        let client = GRPCClient(transport: transport)
        self.client = client
        self.runTask = Task { try await client.runConnections() }
    }

    public func sender() -> GRPCLoadSender { GRPCLoadSender(client: self) }

    public func close() async {
        client.beginGracefulShutdown()
        _ = try? await runTask.value
    }

    static let exportMethod = MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export")
}

/// One stream's worth of `GRPCLoadClient`: maps gRPC status codes to HTTP ones for the load loop.
public struct GRPCLoadSender: IngestSender {
    let client: GRPCLoadClient

    public func send(_ body: [UInt8]) async throws -> IngestSendResult {
        var options = CallOptions.defaults
        options.timeout = .seconds(30)
        do {
            _ = try await client.client.unary(
                request: ClientRequest(message: body), descriptor: GRPCLoadClient.exportMethod,
                serializer: GRPCLoadBytesSerializer(), deserializer: GRPCLoadBytesDeserializer(), options: options
            ) { response in try response.message }
            return IngestSendResult(status: 200)
        } catch let error as RPCError {
            switch error.code {
            case .resourceExhausted: return IngestSendResult(status: 429, retryAfterSeconds: 1)
            case .unavailable: return IngestSendResult(status: 503, retryAfterSeconds: 1)
            case .invalidArgument: return IngestSendResult(status: 400)
            default: return IngestSendResult(status: 500)
            }
        }
    }

    public func close() async {}
}

/// Passes the pre-encoded request bytes through unchanged.
struct GRPCLoadBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

/// Hands the response message back as bytes (the load loop only needs the status).
struct GRPCLoadBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
