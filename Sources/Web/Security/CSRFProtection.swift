import Hummingbird

/// Refuses cross-site state-changing requests on the UI listener with 403.
///
/// A request whose method is POST, PUT, PATCH or DELETE passes only when the browser says it
/// comes from this server's own pages:
/// - `Sec-Fetch-Site` is `same-origin` (or `none`: the user started it themselves), or
/// - `Origin` is the server's own origin, or, when there is no `Origin`, the `Referer` is a URL of
///   the server's own origin.
/// Anything else — another origin, `Origin: null`, or no such header at all — is refused.
/// The server's own origin is the listener's scheme (`https` when it serves TLS) with the
/// request's `Host`, plus any `trustedOrigins` (a reverse proxy's public origin).
///
/// **The rule this relies on: no route changes state on GET or HEAD.** Safe methods always pass
/// (links, bookmarks and `<img>` use them); every handler that creates, updates or deletes
/// something (login, logout, admin forms) must be registered for POST/PUT/PATCH/DELETE.
///
/// Exempt:
/// - Requests carrying `Authorization: Bearer …`. Browsers never attach a bearer token by
///   themselves, and a cross-site page can only send that header after a CORS preflight, which
///   Skein never grants; so such a request cannot be forged from another site. The route guard
///   must authenticate such a request by its token only, never fall back to the session cookie.
/// - The ingest listeners (OTLP/HTTP, Zipkin, OTLP/gRPC): this middleware is not on their
///   routers. They hold no cookies or sessions to ride on, and their senders are SDKs and
///   collectors, not browsers.
///
/// Forms add a second line of defence with `CSRFToken`.
public struct CSRFProtection<Context: RequestContext>: RouterMiddleware {
    let scheme: String
    let trustedOrigins: Set<String>

    /// - Parameters:
    ///   - servesTLS: whether the listener serves HTTPS (the own origin's scheme).
    ///   - trustedOrigins: further origins whose pages may post here, such as
    ///     `https://skein.example.com` when a TLS-terminating proxy sits in front.
    public init(servesTLS: Bool, trustedOrigins: [String] = []) {
        scheme = servesTLS ? "https" : "http"
        self.trustedOrigins = Set(trustedOrigins.compactMap(RequestOrigin.normalized))
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if isAllowed(request.head) {
            return try await next(request, context)
        }
        context.logger.notice(
            "Refused a cross-site request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .forbidden, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: "Refused: this request did not come from Skein's own pages.\n")))
    }

    /// Whether `head` may pass: a safe method, a bearer token, or evidence of the same origin.
    func isAllowed(_ head: HTTPRequest) -> Bool {
        guard Self.changesState(head.method) else { return true }
        if Self.carriesBearerToken(head) { return true }
        if let site = head.headerFields[SecurityHeaderName.fetchSite]?.lowercased(), site == "same-origin" || site == "none" {
            return true
        }
        // The HTTP/1 `Host` header arrives as the request's authority.
        let ownOrigins = ownOrigins(authority: head.authority)
        if let origin = head.headerFields[.origin] {
            return RequestOrigin.normalized(origin).map(ownOrigins.contains) ?? false
        }
        if let referer = head.headerFields[.referer] {
            return RequestOrigin.ofURL(referer).map(ownOrigins.contains) ?? false
        }
        return false
    }

    /// POST, PUT, PATCH and DELETE; every other method must not change state.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }

    static func carriesBearerToken(_ head: HTTPRequest) -> Bool {
        guard let value = head.headerFields[.authorization] else { return false }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        return parts.count == 2 && parts[0].lowercased() == "bearer"
    }

    private func ownOrigins(authority: String?) -> Set<String> {
        var origins = trustedOrigins
        if let authority, !authority.isEmpty, let own = RequestOrigin.normalized("\(scheme)://\(authority)") {
            origins.insert(own)
        }
        return origins
    }
}
