import GRPCCore

/// Sends bytes as the request message as they are (valid or not) and hands the response message
/// back as bytes, so tests can send garbage and inspect exactly what came back.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

extension GRPCClient {
    /// Calls `TraceService/Export` with `message`; the response message bytes, or the `RPCError`
    /// the server answered with.
    func export(_ message: [UInt8], compression: CompressionAlgorithm? = nil) async throws -> [UInt8] {
        var options = CallOptions.defaults
        options.compression = compression
        options.timeout = .seconds(30)
        return try await unary(
            request: ClientRequest(message: message),
            descriptor: MethodDescriptor(
                fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export"),
            serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer(), options: options
        ) { response in try response.message }
    }
}
