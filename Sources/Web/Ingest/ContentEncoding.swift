import Foundation

/// The `Content-Encoding` of an ingest request body.
enum ContentEncoding: Sendable, Equatable {
    case identity
    case gzip
    /// HTTP `deflate`: zlib-wrapped by the standard, raw deflate from some clients; both are accepted.
    case deflate

    /// `nil` for an encoding Skein cannot decode.
    init?(header: String?) {
        let value = (header ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "", "identity": self = .identity
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }
}
