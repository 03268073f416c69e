import Accounts

/// View model of `account.mustache`: who the signed-in person is, the change-password form and
/// the two-step sign-in forms (turn on, confirm a new authenticator, turn off).
struct AccountPage: Sendable {
    /// A new authenticator secret being confirmed: shown as text and as an `otpauth://` address;
    /// nothing is stored until a code from it is confirmed.
    struct Enrolment: Sendable {
        /// The base32 secret as posted back by the confirm form.
        var secret: String
        /// The secret in groups of four, easier to type into an app.
        var groupedSecret: String
        var uri: String
    }

    var title = "Your account"
    var chrome: PageChrome
    var navAccount = true
    var name: String
    var displayName: String
    var roles: [String]
    var twoStepOn: Bool
    /// The forms' CSRF token (purpose `AccountController.formPurpose`).
    var csrfToken: String
    /// A success line after a change (`role="status"`).
    var notice: String?
    /// Why the password form was refused.
    var passwordProblem: String?
    /// Why a two-step form was refused.
    var totpProblem: String?
    var enrolment: Enrolment?

    init(user: User, roles: [Role], chrome: PageChrome, csrfToken: String) {
        self.chrome = chrome
        name = user.name
        displayName = user.displayName
        self.roles = roles.filter { user.roleIDs.contains($0.id) }.map(\.name)
        twoStepOn = user.totpSecret != nil
        self.csrfToken = csrfToken
    }

    /// `secret` in groups of four characters separated by spaces.
    static func grouped(_ secret: String) -> String {
        var groups: [String] = []
        var rest = Substring(secret)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// The success line for the `done` query value of `GET /account` after a change.
    static func notice(forDone done: String?) -> String? {
        switch done {
        case "password": return "Your password was changed. Every other browser was signed out."
        case "totp-on": return "Two-step sign-in is on. Sign-in now asks for a code from your authenticator app."
        case "totp-off": return "Two-step sign-in is off."
        default: return nil
        }
    }
}
