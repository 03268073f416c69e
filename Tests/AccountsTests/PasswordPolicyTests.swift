import Accounts
import Testing

@Suite("Password policy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy.standard

    @Test("A long, uncommon password is accepted")
    func goodPassword() {
        #expect(policy.problem(with: "correct horse battery staple", userName: "ada") == nil)
        #expect(policy.problem(with: "Lantern-Orbit-Quill-47", userName: "ada", displayName: "Ada Lovelace") == nil)
    }

    @Test("Length counts unicode scalars, 12 to 128")
    func lengthBounds() {
        #expect(policy.problem(with: "tr3e-l0ng1!", userName: "ada") == .tooShort(minimum: 12))
        #expect(policy.problem(with: "tr3e-l0ng1!x", userName: "ada") == nil)
        // Twelve CJK characters are twelve, however many bytes they take.
        #expect(policy.problem(with: "雪山飞狐笑傲江湖鹿鼎记天龙", userName: "ada") == nil)
        #expect(policy.problem(with: "雪山飞狐笑傲江湖鹿鼎记", userName: "ada") == .tooShort(minimum: 12))
        #expect(policy.problem(with: String(repeating: "xy7", count: 42) + "zz", userName: "ada") == nil)
        #expect(policy.problem(with: String(repeating: "xy7", count: 43), userName: "ada") == .tooLong(maximum: 128))
    }

    @Test("Common passwords are refused whatever their case and trailing digits", arguments: [
        "password1234", "PASSWORD1234", "Password2024!", "qwertyuiop123", "123456789012", "iloveyou!!!!",
        "Welcome12345", "letmein12345", "aaaaaaaaaaaa", "abababababab",
    ])
    func commonPasswords(password: String) {
        #expect(policy.problem(with: password, userName: "ada") == .common)
    }

    @Test("The user's own name is refused", arguments: [
        ("margaret.hamilton", nil, "Margaret.Hamilton"),
        ("margaret.hamilton", nil, "margaret.hamilton2024"),
        ("mh", "Margaret Hamilton", "margarethamilton!"),
        ("mh", "Margaret Hamilton", "Margaret Hamilton 1"),
    ] as [(String, String?, String)])
    func ownName(userName: String, displayName: String?, password: String) {
        #expect(policy.problem(with: password, userName: userName, displayName: displayName) == .containsName)
    }

    @Test("Every refusal explains what to do")
    func messagesAreActionable() {
        let problems: [PasswordPolicy.Problem] = [.tooShort(minimum: 12), .tooLong(maximum: 128), .common, .containsName]
        for problem in problems {
            #expect(problem.description.count > 20)
        }
        #expect(PasswordPolicy.Problem.tooShort(minimum: 12).description.contains("12"))
    }
}
