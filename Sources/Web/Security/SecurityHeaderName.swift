import HTTPTypes

/// Header names the security middleware reads or writes that swift-http-types does not predefine.
enum SecurityHeaderName {
    static let referrerPolicy = named("Referrer-Policy")
    static let frameOptions = named("X-Frame-Options")
    static let crossOriginOpenerPolicy = named("Cross-Origin-Opener-Policy")
    /// Sent by browsers on every request: `same-origin`, `same-site`, `cross-site` or `none`
    /// (the user typed the address or opened a bookmark).
    static let fetchSite = named("Sec-Fetch-Site")

    /// The names above are literals known to be valid tokens; an invalid one is a programming error.
    private static func named(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return field
    }
}
