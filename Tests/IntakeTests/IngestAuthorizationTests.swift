import Accounts
import Foundation
import Intake
import Logging
import Synchronization
import Testing

/// `IngestAuthorization`: which credentials are taken with and without `--require-ingest-token`,
/// how long an accepted token is remembered, and how often its last use is recorded.
@Suite struct IngestAuthorizationTests {
    static let start = Date(timeIntervalSince1970: 1_763_700_000)

    /// Tokens by secret, a clock the test moves, and counts of lookups and touches.
    final class Tokens: Sendable {
        let owner = User(name: "ci", displayName: "CI", passwordHash: "x")
        let byHash = Mutex<[[UInt8]: APIToken]>([:])
        let lookups = Mutex(0)
        let touches = Mutex<[UUID]>([])
        let clock = Mutex(IngestAuthorizationTests.start)

        @discardableResult
        func add(_ kind: APIToken.Kind = .ingest, expiresAt: Date? = nil) -> (secret: String, id: UUID) {
            let secret = SecretToken.generate(kind.secretKind)
            let token = APIToken(name: "t", kind: kind, ownerUserID: owner.id, createdAt: Self.epoch, expiresAt: expiresAt)
            byHash.withLock { $0[secret.hash] = token }
            return (secret.value, token.id)
        }

        func revoke(_ secret: String) {
            byHash.withLock { $0[SecretToken.hash(secret)]?.revokedAt = IngestAuthorizationTests.start }
        }

        func advance(_ seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }

        func authorization(required: Bool) -> IngestAuthorization {
            IngestAuthorization(
                required: required,
                lookup: { hash in
                    self.lookups.withLock { $0 += 1 }
                    return self.byHash.withLock { $0[hash] }.map { ($0, self.owner) }
                },
                touch: { id, _ in self.touches.withLock { $0.append(id) } },
                now: { self.clock.withLock { $0 } }, logger: Logger(label: "test"))
        }

        static let epoch = Date(timeIntervalSince1970: 1_700_000_000)
    }

    @Test func withoutTheFlagARequestWithoutATokenIsAccepted() async {
        let verdict = await Tokens().authorization(required: false).authorize(authorization: nil, skeinToken: nil)
        #expect(verdict == .accepted(tokenID: nil))
    }

    @Test func withTheFlagARequestWithoutATokenIsRefused() async {
        let verdict = await Tokens().authorization(required: true).authorize(authorization: nil, skeinToken: nil)
        guard case .unauthenticated = verdict else { Issue.record("\(verdict)"); return }
    }

    @Test(arguments: [false, true])
    func aValidIngestTokenIsAcceptedFromEitherHeader(required: Bool) async {
        let tokens = Tokens()
        let (secret, id) = tokens.add()
        let authorization = tokens.authorization(required: required)
        #expect(await authorization.authorize(authorization: "Bearer \(secret)", skeinToken: nil) == .accepted(tokenID: id))
        #expect(await authorization.authorize(authorization: "bearer  \(secret) ", skeinToken: nil) == .accepted(tokenID: id))
        #expect(await authorization.authorize(authorization: nil, skeinToken: secret) == .accepted(tokenID: id))
    }

    @Test(arguments: [false, true])
    func aWrongRevokedExpiredOrReadTokenIsRefusedEvenWhenTokensAreOptional(required: Bool) async {
        let tokens = Tokens()
        let revoked = tokens.add().secret
        tokens.revoke(revoked)
        let expired = tokens.add(expiresAt: Self.start).secret
        let read = tokens.add(.read).secret
        let authorization = tokens.authorization(required: required)
        for secret in ["skein_ing_nonsense", revoked, expired, read, ""] {
            let verdict = await authorization.authorize(authorization: nil, skeinToken: secret)
            guard case .unauthenticated = verdict else { Issue.record("\(secret): \(verdict)"); continue }
        }
    }

    @Test func anotherAuthorizationSchemeIsNoToken() {
        #expect(IngestCredential(authorization: "Basic dXNlcjpwYXNz", skeinToken: nil) == .none)
        #expect(IngestCredential(authorization: "Bearer abc", skeinToken: "def") == .token("def"))
        #expect(IngestCredential(authorization: "Bearer", skeinToken: nil) == .token(""))
    }

    @Test func anAcceptedTokenIsRememberedForThirtySecondsAndThenLookedUpAgain() async {
        let tokens = Tokens()
        let secret = tokens.add().secret
        let authorization = tokens.authorization(required: true)
        _ = await authorization.authorize(authorization: "Bearer \(secret)", skeinToken: nil)
        tokens.advance(29)
        _ = await authorization.authorize(authorization: "Bearer \(secret)", skeinToken: nil)
        #expect(tokens.lookups.withLock { $0 } == 1)

        tokens.revoke(secret)
        tokens.advance(1)
        let verdict = await authorization.authorize(authorization: "Bearer \(secret)", skeinToken: nil)
        #expect(tokens.lookups.withLock { $0 } == 2)
        guard case .unauthenticated = verdict else { Issue.record("a revoked token outlived the cache: \(verdict)"); return }
    }

    @Test func refusalsAreNotRemembered() async {
        let tokens = Tokens()
        let authorization = tokens.authorization(required: true)
        _ = await authorization.authorize(authorization: "Bearer skein_ing_unknown", skeinToken: nil)
        _ = await authorization.authorize(authorization: "Bearer skein_ing_unknown", skeinToken: nil)
        #expect(tokens.lookups.withLock { $0 } == 2)
    }

    @Test func theLastUseIsRecordedAtMostOnceAMinutePerToken() async {
        let tokens = Tokens()
        let (secret, id) = tokens.add()
        let authorization = tokens.authorization(required: false)
        for _ in 0..<5 {
            _ = await authorization.authorize(authorization: nil, skeinToken: secret)
            tokens.advance(10)
        }
        #expect(tokens.touches.withLock { $0 } == [id])
        tokens.advance(20)
        _ = await authorization.authorize(authorization: nil, skeinToken: secret)
        #expect(tokens.touches.withLock { $0 } == [id, id])
    }

    @Test func aCachedTokenIsNotTakenPastItsOwnExpiry() async {
        let tokens = Tokens()
        let secret = tokens.add(expiresAt: Self.start.addingTimeInterval(10)).secret
        let authorization = tokens.authorization(required: true)
        #expect(await authorization.authorize(authorization: nil, skeinToken: secret) != .unauthenticated(message: ""))
        tokens.advance(11)
        let verdict = await authorization.authorize(authorization: nil, skeinToken: secret)
        guard case .unauthenticated = verdict else { Issue.record("\(verdict)"); return }
    }

    @Test func aStoreFailureAnswersUnavailableNotUnauthenticated() async {
        struct Down: Error {}
        let authorization = IngestAuthorization(
            required: true, lookup: { _ in throw Down() }, touch: { _, _ in }, logger: Logger(label: "test"))
        let verdict = await authorization.authorize(authorization: "Bearer skein_ing_x", skeinToken: nil)
        guard case .unavailable(.storageUnavailable) = verdict else { Issue.record("\(verdict)"); return }
    }

    @Test func theUncheckedAuthorizationTakesEverything() async {
        #expect(await IngestAuthorization.unchecked.authorize(authorization: "Bearer wrong", skeinToken: nil) == .accepted(tokenID: nil))
    }
}
