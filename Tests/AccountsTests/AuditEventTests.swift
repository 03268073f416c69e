import Accounts
import Foundation
import Testing

@Suite("Audit event sanitising")
struct AuditEventTests {
    @Test("Line breaks, tabs and escape characters are written as visible escapes", arguments: [
        ("ada\nlogin.succeeded admin", "ada\\nlogin.succeeded admin"),
        ("a\rb", "a\\rb"),
        ("a\tb", "a\\tb"),
        ("\u{1B}[31mred", "\\u001b[31mred"),
        ("nul\u{0}byte", "nul\\u0000byte"),
        ("del\u{7F}", "del\\u007f"),
        ("next\u{85}line", "next\\u0085line"),
        ("sep\u{2028}arator", "sep\\u2028arator"),
        ("evil\u{202E}txt.exe", "evil\\u202etxt.exe"),
        ("zero\u{200B}width", "zero\\u200bwidth"),
        ("tag\u{E0041}", "tag\\U000e0041"),
        ("back\\slash", "back\\\\slash"),
        ("plain Zoë 雪 🙂", "plain Zoë 雪 🙂"),
    ])
    func escapes(input: String, expected: String) {
        #expect(AuditText.sanitised(input, limit: 1_000) == expected)
    }

    @Test("An escape typed by the user cannot pass for a real control character")
    func typedEscapesStayDistinct() {
        #expect(AuditText.sanitised("a\\nb", limit: 100) != AuditText.sanitised("a\nb", limit: 100))
    }

    @Test("Long text is cut to the limit and marked, never inside an escape")
    func lengthCap() {
        let long = String(repeating: "x", count: 500)
        let cut = AuditText.sanitised(long, limit: 100)
        #expect(cut.unicodeScalars.count == 100)
        #expect(cut.hasSuffix("…"))
        #expect(AuditText.sanitised(String(repeating: "y", count: 100), limit: 100) == String(repeating: "y", count: 100))

        let escapes = String(repeating: "\u{1B}", count: 50)
        let cutEscapes = AuditText.sanitised(escapes, limit: 20)
        #expect(cutEscapes == "\\u001b\\u001b\\u001b…")
    }

    @Test("Every free-text field of an event is sanitised and capped")
    func eventFields() {
        let event = AuditEvent(
            actorUserID: nil, actorName: "mallory\n2026-01-01 login.succeeded admin", action: .loginFailed,
            target: "trace\u{1B}]0;pwned\u{7}", before: "{\n\"a\": 1\n}", after: String(repeating: "z", count: 20_000),
            clientAddress: "203.0.113.9\r\n"
        )
        #expect(event.actorName == "mallory\\n2026-01-01 login.succeeded admin")
        #expect(event.target == "trace\\u001b]0;pwned\\u0007")
        #expect(event.before == "{\\n\"a\": 1\\n}")
        #expect(event.after?.unicodeScalars.count == AuditEvent.Limit.change)
        #expect(event.clientAddress == "203.0.113.9\\r\\n")
        #expect(event.id == nil)
    }

    @Test("An event made for a principal names the user or the token")
    func principalActor() {
        let user = User(name: "ada", displayName: "Ada", passwordHash: "x", roleIDs: [Role.viewer.id])
        let principal = Principal(user: user, roles: Role.builtIns)
        let event = AuditEvent(principal: principal, action: .traceViewed, target: "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(event.actorUserID == user.id)
        #expect(event.actorName == "ada")
        #expect(event.action.rawValue == "trace.viewed")
    }

    @Test("Action names are stable dotted strings")
    func actionNames() {
        #expect(AuditAction.loginSucceeded.rawValue == "login.succeeded")
        #expect(AuditAction.tokenRevoked.rawValue == "token.revoked")
        #expect(Set(AuditAction.allCases.map(\.rawValue)).count == AuditAction.allCases.count)
    }

    @Test("Sanitised text is recognised as such, raw control characters are not")
    func recognisesSanitisedText() {
        #expect(AuditText.isSanitised(AuditText.sanitised("a\nb\\c\u{1B}", limit: 100), limit: 100))
        #expect(AuditText.isSanitised("plain \\ text", limit: 100))
        #expect(!AuditText.isSanitised("a\nb", limit: 100))
        #expect(!AuditText.isSanitised("rtl\u{202E}", limit: 100))
        #expect(!AuditText.isSanitised("toolong", limit: 3))
        #expect(AuditEvent(actorUserID: nil, actorName: "x\ny", action: .logout, target: "\u{1B}").isSanitised)
        let smuggled = AuditEvent.restored(
            id: 1, time: Date(), actorUserID: nil, actorName: "eve\nlogin.succeeded", action: .logout,
            target: nil, before: nil, after: nil, clientAddress: nil
        )
        #expect(!smuggled.isSanitised)
    }

    @Test("A restored event keeps its stored text exactly")
    func restoredAsStored() {
        let stored = AuditEvent.restored(
            id: 7, time: Date(timeIntervalSince1970: 0), actorUserID: nil, actorName: "a\\nb", action: .logout,
            target: nil, before: nil, after: nil, clientAddress: nil
        )
        #expect(stored.actorName == "a\\nb")
        #expect(stored.id == 7)
    }
}
