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
/// Store failures leave the request anonymous (logged), so pages ask to sign in rather than fail.
public struct SessionAuthenticator: RouterMiddleware {
    public typealias Context = SkeinRequestContext

    /// How long a session's `lastSeenAt` may lag before it is written again.
    public static let touchInterval: TimeInterval = 60

    let store: any AccountStore
    let policy: SessionPolicy
    let cookie: SessionCookie
    let now: @Sendable () -> Date

    public init(store: any AccountStore, policy: SessionPolicy = .standard, cookie: SessionCookie, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.policy = policy
        self.cookie = cookie
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let bearer = Self.bearerToken(request) {
            do {
                if let (principal, _) = try await store.principal(apiTokenSecret: bearer, now: now()), !principal.permissions.isEmpty {
                    context.principal = principal
                }
            } catch {
                context.logger.error("Could not check an API token", metadata: ["error": "\(String(reflecting: error))"])
            }
            return try await next(request, context)
        }
        guard let secret = SessionCookie.value(named: cookie.name, in: request), !secret.isEmpty else {
            return try await next(request, context)
        }
        switch await resolve(secret: secret, logger: context.logger) {
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
            return try await next(request, context)
        }
    }

    private enum Resolution {
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
