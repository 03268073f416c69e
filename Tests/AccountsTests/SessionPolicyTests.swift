import Accounts
import Foundation
import Testing

@Suite("Sessions and API token lifetimes")
struct SessionPolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("The standard policy is 30 minutes idle and 12 hours in all")
    func defaults() {
        #expect(SessionPolicy.standard.idleTimeout == 1_800)
        #expect(SessionPolicy.standard.absoluteLifetime == 43_200)
    }

    @Test("A session ends after 30 idle minutes")
    func idleExpiry() {
        let session = Session(idHash: [1], userID: UUID(), createdAt: start)
        #expect(!SessionPolicy.standard.isExpired(session, at: start.addingTimeInterval(1_799)))
        #expect(SessionPolicy.standard.isExpired(session, at: start.addingTimeInterval(1_800)))
    }

    @Test("Activity extends a session, but never past 12 hours from sign-in")
    func absoluteExpiry() {
        var session = Session(idHash: [1], userID: UUID(), createdAt: start)
        session.lastSeenAt = start.addingTimeInterval(11.9 * 3_600)
        #expect(SessionPolicy.standard.expiry(of: session) == start.addingTimeInterval(12 * 3_600))
        #expect(SessionPolicy.standard.isExpired(session, at: start.addingTimeInterval(12 * 3_600)))
        session.lastSeenAt = start.addingTimeInterval(3_600)
        #expect(SessionPolicy.standard.expiry(of: session) == start.addingTimeInterval(3_600 + 1_800))
    }

    @Test("An API token is usable until it expires or is revoked")
    func tokenUsability() {
        let token = APIToken(name: "ci", kind: .ingest, ownerUserID: UUID(), expiresAt: start.addingTimeInterval(60))
        #expect(token.isUsable(at: start))
        #expect(!token.isUsable(at: start.addingTimeInterval(60)))
        var revoked = APIToken(name: "ci", kind: .ingest, ownerUserID: UUID())
        #expect(revoked.isUsable(at: start))
        revoked.revokedAt = start
        #expect(!revoked.isUsable(at: start))
    }

    @Test("Only a usable ingest token of an enabled owner is accepted for ingest")
    func ingestAcceptance() {
        let owner = User(name: "ci", displayName: "CI", passwordHash: "x")
        let ingest = APIToken(name: "collector", kind: .ingest, ownerUserID: owner.id, expiresAt: start.addingTimeInterval(60))
        #expect(ingest.acceptsIngest(at: start, owner: owner))
        #expect(!ingest.acceptsIngest(at: start.addingTimeInterval(60), owner: owner))
        var disabled = owner
        disabled.isDisabled = true
        #expect(!ingest.acceptsIngest(at: start, owner: disabled))
        let read = APIToken(name: "grafana", kind: .read, ownerUserID: owner.id)
        #expect(!read.acceptsIngest(at: start, owner: owner))
        let someoneElse = User(name: "eve", displayName: "Eve", passwordHash: "x")
        #expect(!ingest.acceptsIngest(at: start, owner: someoneElse))
    }

    @Test("User names are short, visible and without spaces", arguments: [
        ("ada", true), ("ada.lovelace@example.com", true), ("grace_hopper-2", true), ("Zoë", false), ("\u{430}dmin", false),
        ("", false), ("ada lovelace", false), ("ada\nadmin", false), ("a\u{202E}b", false),
        (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
    ])
    func userNames(name: String, valid: Bool) {
        #expect((User.problem(withName: name) == nil) == valid)
    }
}
