import Accounts
import Hummingbird

/// Applies `RoutePolicy` to every request of the UI listener, after `SessionAuthenticator`.
///
/// - Public routes pass.
/// - Anonymous requests: pages get a 302 to `/login?next=<path and query>` (the target checked
///   by `LocalRedirect`), `/api/…` gets 401 JSON.
/// - Signed in without the permission: 403, a page or JSON.
/// - Credentials that could not be checked (database away): 503 with `Retry-After`.
/// - Paths no entry matches need a signed-in principal and then pass (to the router's 404).
public struct RouteGuard: RouterMiddleware {
    public typealias Context = SkeinRequestContext

    let policy: RoutePolicy

    public init(policy: RoutePolicy = .standard) {
        self.policy = policy
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let access = policy.access(forPath: path)
        if access == .public { return try await next(request, context) }
        guard let principal = context.principal else {
            if context.credentialsUnverified { return Self.unavailable(path) }
            return Self.isAPI(path) ? Self.json(status: .unauthorized, message: "Sign in or send an API read token.") : Self.toLogin(request)
        }
        if case .requires(let permission) = access, !principal.can(permission) {
            context.logger.notice("Refused a request without permission", metadata: ["path": "\(path)", "permission": "\(permission.rawValue)"])
            return Self.isAPI(path)
                ? Self.json(status: .forbidden, message: "Your role does not allow this.")
                : Self.forbiddenPage()
        }
        return try await next(request, context)
    }

    /// 503 with `Retry-After`: who is asking could not be checked (the database is away).
    static func unavailable(_ path: String) -> Response {
        var response = isAPI(path)
            ? json(status: .serviceUnavailable, message: "The database is unavailable; try again shortly.")
            : Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: "Skein cannot reach its database just now. Try again in a few seconds.\n")))
        response.headers[.retryAfter] = "5"
        return response
    }

    static func isAPI(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/")
    }

    /// 302 to the login page, coming back here afterwards when this is a local address.
    static func toLogin(_ request: Request) -> Response {
        var target = request.uri.path
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }
        var location = "/login"
        if LocalRedirect.isLocal(target), target != "/" {
            location += "?next=" + LoginForm.percentEncoded(target)
        }
        return Response(status: .found, headers: [.location: location, .contentLength: "0", .cacheControl: "no-store"])
    }

    static func json(status: HTTPResponse.Status, message: String) -> Response {
        let body = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":\(status.code),\"msg\":\"\(message)\"}]}"
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func forbiddenPage() -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Not allowed · Skein</title>
            <link rel="stylesheet" href="/static/skein.css"></head>
            <body><main class="wrap"><h1>Not allowed</h1>
            <p>Your role does not allow this page. Ask an administrator if you need it.</p>
            <p><a href="/">Back to Skein</a></p></main></body></html>
            """
        return Response(
            status: .forbidden,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
