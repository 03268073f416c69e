import Accounts
import Hummingbird
import NIOCore

/// The UI listener's request context: who is asking (`principal`, set by `SessionAuthenticator`),
/// their browser session when they came with the session cookie, and the client's address.
public struct SkeinRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user or the API token's principal; nil for an anonymous request.
    public var principal: Principal?
    /// The browser session behind `principal`; nil for anonymous and bearer-token requests.
    public var session: Session?
    /// The raw session secret from the cookie when `session` is set: it keys the session's
    /// `CSRFToken`s and never leaves the server except in the `HttpOnly` cookie.
    public var sessionSecret: String?
    /// Set when the credentials presented could not be checked (the account store failed or did
    /// not answer in time): `RouteGuard` then answers 503 instead of asking to sign in.
    public var credentialsUnverified = false
    /// The peer's socket address (no proxy headers are trusted).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address for throttling and the audit log; `unknown` when there is none.
    public var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
