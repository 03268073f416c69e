/// The wire protocols `skein bench ingest` can load a server with.
public enum IngestProtocol: String, Sendable, CaseIterable, Codable {
    case otlpProtobuf = "otlp-protobuf"
    case otlpJSON = "otlp-json"
    case otlpGRPC = "otlp-grpc"
    case zipkin

    /// How ids appear in this protocol's bodies.
    var idEncoding: IngestIDPatchTemplate.Encoding {
        switch self {
        case .otlpProtobuf, .otlpGRPC: return .binary
        case .otlpJSON, .zipkin: return .hex
        }
    }

    /// The HTTP path and content type, for the protocols sent over HTTP/1.1.
    var httpRoute: (path: String, contentType: String)? {
        switch self {
        case .otlpProtobuf: return ("/v1/traces", "application/x-protobuf")
        case .otlpJSON: return ("/v1/traces", "application/json")
        case .zipkin: return ("/api/v2/spans", "application/json")
        case .otlpGRPC: return nil
        }
    }
}
