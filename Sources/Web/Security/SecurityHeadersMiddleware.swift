import Hummingbird

/// Adds the browser security headers to every answer of the UI listener: a strict
/// Content-Security-Policy (scripts, styles and images only from this origin, no inline code, no
/// plugins, no framing, forms only to this origin), `nosniff`, a same-origin referrer policy,
/// `X-Frame-Options: DENY`, a same-origin opener policy and, when the listener serves TLS,
/// Strict-Transport-Security.
///
/// The policy forbids inline `<script>`, `<style>`, `style=` and `on…=` attributes: templates and
/// `Public/` use classes and `/static/skein.js` instead. Add this middleware before any middleware
/// that answers by itself (static files, CSRF refusals) so their answers carry the headers too.
/// An error thrown further in is turned into its response here (the generic one for errors that
/// are not `HTTPResponseError`, without details) so that it also carries the headers.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The policy every answer carries.
    public static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// One year: browsers then refuse plain HTTP to this host for that long.
    public static var strictTransportSecurity: String { "max-age=31536000" }

    let servesTLS: Bool

    /// - Parameter servesTLS: whether this listener serves HTTPS; only then is HSTS sent (over
    ///   plain HTTP browsers ignore it, and it would be wrong to promise HTTPS there).
    public init(servesTLS: Bool) {
        self.servesTLS = servesTLS
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
            response = Response(status: .internalServerError)
        }
        addHeaders(to: &response.headers)
        return response
    }

    func addHeaders(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[SecurityHeaderName.referrerPolicy] = "same-origin"
        headers[SecurityHeaderName.frameOptions] = "DENY"
        headers[SecurityHeaderName.crossOriginOpenerPolicy] = "same-origin"
        if servesTLS {
            headers[.strictTransportSecurity] = Self.strictTransportSecurity
        } else {
            headers[.strictTransportSecurity] = nil
        }
    }
}
