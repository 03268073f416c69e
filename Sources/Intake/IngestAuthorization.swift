import Accounts
import Foundation
import Logging
import Storage

/// Decides whether an ingest request (OTLP/HTTP, OTLP/gRPC, Zipkin) may send spans, from the
/// API token it presents (`IngestCredential`).
///
/// - Without `required`, a request with no token is accepted; with it (`--require-ingest-token`),
///   it is refused. A token that is presented is always checked: a wrong, revoked or expired
///   token, a read token, or one whose owner is disabled is refused even when tokens are not
///   required, so a misconfigured sender sees the error instead of silently sending anonymously.
/// - Accepted tokens are remembered for `cacheLifetime` (30 s) in a bounded map, so the hot path
///   does not query the database per request. Consequence, by design: a revoked token, or one of
///   an owner just disabled, may still be accepted for up to `cacheLifetime` after the change, and
///   never longer (an entry is never renewed without a fresh lookup; nor does one outlive the
///   token's own expiry). Refusals are not cached.
/// - A token's `lastUsedAt` is moved forward at most once per `touchInterval` (a minute).
public struct IngestAuthorization: Sendable {
    /// The answer for one request.
    public enum Verdict: Sendable, Equatable {
        /// Spans may be taken; the token that vouched for them, nil when none was presented.
        case accepted(tokenID: UUID?)
        /// No acceptable token: answer 401 / UNAUTHENTICATED with this message.
        case unauthenticated(message: String)
        /// The token could not be checked (database unreachable): answer 503 / UNAVAILABLE.
        case unavailable(IngestRefusal)
    }

    /// Finds the token with a secret hash, and its owner; nil when there is none.
    public typealias TokenLookup = @Sendable (_ secretHash: [UInt8]) async throws -> (token: APIToken, owner: User)?
    /// Records that a token was used at a time.
    public typealias TokenTouch = @Sendable (_ tokenID: UUID, _ time: Date) async throws -> Void

    /// Whether every request must present an ingest token.
    public let required: Bool
    private let lookup: TokenLookup?
    private let touch: TokenTouch
    private let cache: IngestTokenCache
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// How long an accepted token is taken without asking the store again.
    public static let cacheLifetime: TimeInterval = 30
    /// Least time between two `touchAPIToken` calls for one token.
    public static let touchInterval: TimeInterval = 60

    /// Tokens checked with `lookup`, uses recorded with `touch`.
    public init(
        required: Bool, lookup: @escaping TokenLookup, touch: @escaping TokenTouch,
        cacheCapacity: Int = IngestTokenCache.defaultCapacity,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.required = required
        self.lookup = lookup
        self.touch = touch
        self.cache = IngestTokenCache(capacity: cacheCapacity, lifetime: Self.cacheLifetime, touchInterval: Self.touchInterval)
        self.now = now
        self.logger = logger
    }

    /// Tokens checked against `store` (`apiToken(secretHash:)`, the owner, `APIToken.acceptsIngest`).
    public init(
        store: any AccountStore, required: Bool,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.init(
            required: required,
            lookup: { hash in
                guard let token = try await store.apiToken(secretHash: hash),
                      let owner = try await store.user(id: token.ownerUserID)
                else { return nil }
                return (token, owner)
            },
            touch: { id, time in _ = try await store.touchAPIToken(id: id, at: time) },
            now: now, logger: logger)
    }

    private init(unchecked: Void) {
        required = false
        lookup = nil
        touch = { _, _ in }
        cache = IngestTokenCache(capacity: 1, lifetime: 0, touchInterval: 0)
        now = { Date() }
        logger = Logger(label: "skein.ingest.authorization")
    }

    /// Accepts every request and ignores tokens: for tests and tools without accounts.
    public static let unchecked = IngestAuthorization(unchecked: ())

    /// The verdict for a request presenting `credential`.
    public func authorize(_ credential: IngestCredential) async -> Verdict {
        guard let lookup else { return .accepted(tokenID: nil) }
        let secret: String
        switch credential {
        case .none:
            return required
                ? .unauthenticated(message: "this Skein requires an ingest token: send 'Authorization: Bearer <token>' or 'x-skein-token: <token>'")
                : .accepted(tokenID: nil)
        case .token(let presented):
            secret = presented
        }
        let hash = SecretToken.hash(secret)
        let time = now()
        if let tokenID = cache.acceptedToken(hash: hash, at: time) {
            await recordUse(of: tokenID, at: time)
            return .accepted(tokenID: tokenID)
        }
        let found: (token: APIToken, owner: User)?
        do {
            found = try await lookup(hash)
        } catch {
            logger.warning("An ingest token could not be checked", metadata: ["error": "\(error)"])
            return .unavailable(.storageUnavailable(retryAfterSeconds: 5))
        }
        guard let found, found.token.acceptsIngest(at: time, owner: found.owner) else {
            return .unauthenticated(message: "the ingest token is not accepted: it is unknown, revoked or expired, not an ingest token, or its owner is disabled")
        }
        cache.remember(hash: hash, tokenID: found.token.id, expiresAt: found.token.expiresAt, at: time)
        await recordUse(of: found.token.id, at: time)
        return .accepted(tokenID: found.token.id)
    }

    /// The verdict for a request with these header (or gRPC metadata) values.
    public func authorize(authorization: String?, skeinToken: String?) async -> Verdict {
        await authorize(IngestCredential(authorization: authorization, skeinToken: skeinToken))
    }

    /// `touchAPIToken`, unless it was called for this token within `touchInterval`; a failure is
    /// logged, never fatal to the request.
    private func recordUse(of tokenID: UUID, at time: Date) async {
        guard cache.claimTouch(of: tokenID, at: time) else { return }
        do {
            try await touch(tokenID, time)
        } catch {
            logger.info("Recording the use of an ingest token failed", metadata: ["error": "\(error)"])
        }
    }
}
