/// The API token an ingest request presents: `x-skein-token: <t>`, else `Authorization: Bearer <t>`
/// (HTTP headers, or gRPC metadata of the same names).
///
/// An `Authorization` header of another scheme (Basic, say, added by a proxy) is not a token.
/// A header that is there but empty (`Bearer ` or `x-skein-token:` with nothing) is presented as an
/// empty token, which no token matches.
public enum IngestCredential: Sendable, Equatable {
    case none
    case token(String)

    /// The HTTP header (and gRPC metadata key) carrying a bare token.
    public static let skeinTokenHeader = "x-skein-token"

    public init(authorization: String?, skeinToken: String?) {
        if let skeinToken {
            self = .token(skeinToken.trimmingWhitespace)
            return
        }
        guard let authorization else {
            self = .none
            return
        }
        let trimmed = authorization.trimmingWhitespace
        let scheme = trimmed.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer" else {
            self = .none
            return
        }
        self = .token(String(trimmed.dropFirst(scheme.count)).trimmingWhitespace)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
