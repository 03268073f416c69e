import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Finds out who is asking, for every request of the UI listener, and puts it in the context.
///
/// - `Authorization: Bearer <token>`: the API token's principal (`principal(apiTokenSecret:now:)`);
///   the cookie is then ignored, never used as a fallback, so a request is judged by exactly one
///   credential (and `CSRFProtection`'s bearer exemption cannot ride on a session). An unknown,
///   revoked or expired token leaves the request anonymous.
/// - Otherwise the session cookie: the session is looked up by the hash of its secret; an expired
///   session (`SessionPolicy`) or one of a disabled or deleted user is deleted and the cookie
///   cleared. A live session is touched at most once a minute.
/// A lookup that fails or takes longer than `lookupTimeout` (the database is away) leaves the
/// request anonymous with `credentialsUnverified` set, and `RouteGuard` answers 503 for anything
/// but public routes. Health checks, `/metrics` and static files are never looked up for, so
/// they keep answering during an outage.
public struct SessionAuthenticator: RouterMiddleware {
    public typealias Context = SkeinRequestContext

    /// How long a session's `lastSeenAt` may lag before it is written again.
    public static let touchInterval: TimeInterval = 60

    let store: any AccountStore
    let policy: SessionPolicy
    let cookie: SessionCookie
    let now: @Sendable () -> Date
    let lookupTimeout: Duration

    /// Paths that never need to know who is asking.
    static let unauthenticatedPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    public init(
        store: any AccountStore, policy: SessionPolicy = .standard, cookie: SessionCookie, lookupTimeout: Duration = .seconds(5),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.policy = policy
        self.cookie = cookie
        self.lookupTimeout = lookupTimeout
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        if Self.unauthenticatedPaths.contains(path) || path.hasPrefix("/static/") {
            return try await next(request, context)
        }
        if let bearer = Self.bearerToken(request) {
            let store = store, now = now(), logger = context.logger
            let found = await LookupDeadline.run(lookupTimeout) { () -> Result<Principal?, any Error> in
                do {
                    return .success(try await store.principal(apiTokenSecret: bearer, now: now)?.0)
                } catch {
                    return .failure(error)
                }
            }
            switch found {
            case .success(let principal?) where !principal.permissions.isEmpty:
                context.principal = principal
            case .success:
                break
            case .failure(let error):
                logger.error("Could not check an API token", metadata: ["error": "\(String(reflecting: error))"])
                context.credentialsUnverified = true
            case nil:
                logger.error("Checking an API token took too long")
                context.credentialsUnverified = true
            }
            return try await next(request, context)
        }
        guard let secret = SessionCookie.value(named: cookie.name, in: request), !secret.isEmpty else {
            return try await next(request, context)
        }
        let logger = context.logger
        let resolution = await LookupDeadline.run(lookupTimeout) { await self.resolve(secret: secret, logger: logger) } ?? .unknown
        switch resolution {
        case .signedIn(let principal, let session):
            context.principal = principal
            context.session = session
            context.sessionSecret = secret
            return try await next(request, context)
        case .signedOut:
            var response = try await next(request, context)
            response.headers.append(HTTPField(name: .setCookie, value: cookie.clearing))
            return response
        case .unknown:
            context.credentialsUnverified = true
            return try await next(request, context)
        }
    }

    private enum Resolution: Sendable {
        case signedIn(Principal, Session)
        /// The cookie named a session that is gone or has ended: clear it.
        case signedOut
        /// The store could not be asked.
        case unknown
    }

    private func resolve(secret: String, logger: Logger) async -> Resolution {
        let idHash = SecretToken.hash(secret)
        let now = now()
        do {
            guard let session = try await store.session(idHash: idHash) else { return .signedOut }
            if policy.isExpired(session, at: now) {
                _ = try await store.deleteSession(idHash: idHash)
                return .signedOut
            }
            guard let user = try await store.user(id: session.userID), !user.isDisabled else {
                _ = try await store.deleteSession(idHash: idHash)
                return .signedOut
            }
            var current = session
            if now.timeIntervalSince(session.lastSeenAt) >= Self.touchInterval {
                _ = try await store.touchSession(idHash: idHash, at: now)
                current.lastSeenAt = now
            }
            return .signedIn(Principal(user: user, roles: try await store.roles()), current)
        } catch {
            logger.error("Could not check a session", metadata: ["error": "\(String(reflecting: error))"])
            return .unknown
        }
    }

    /// The token of `Authorization: Bearer <token>`, or nil.
    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
