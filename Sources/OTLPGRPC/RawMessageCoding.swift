import GRPCCore

/// Hands a gRPC message's bytes over as they arrived (after the transport's decompression), so the
/// receiver decodes them once with `OTLPTraceCodec.decodeProtobuf`, the same decoder and limits as
/// OTLP/HTTP, and can tell undecodable data (INVALID_ARGUMENT) from everything else.
struct RawMessageDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// Sends bytes that are already a serialized message (the `ExportTraceServiceResponse` from
/// `OTLPTraceCodec.exportResponse`).
struct RawMessageSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}
