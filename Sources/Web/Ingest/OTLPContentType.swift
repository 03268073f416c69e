/// The two OTLP/HTTP body encodings.
enum OTLPContentType: Sendable, Equatable {
    case protobuf
    case json

    /// Parses a `Content-Type` header, ignoring parameters such as `; charset=utf-8`.
    init?(header: String?) {
        guard let header else { return nil }
        let mediaType = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        switch mediaType.filter({ $0 != " " && $0 != "\t" }).lowercased() {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }

    var headerValue: String {
        switch self {
        case .protobuf: return "application/x-protobuf"
        case .json: return "application/json"
        }
    }
}
