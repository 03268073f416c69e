/// The one-line notice `/admin/users/{id}` shows after a change, chosen by `?done=`: only these
/// fixed sentences are ever shown, never text from the address.
enum AdminUserNotice: String, Sendable {
    case created, roles, disabled, enabled, password
    case twoStepOff = "two-step-off"

    var text: String {
        switch self {
        case .created: return "User created."
        case .roles: return "Roles saved."
        case .disabled: return "User disabled and signed out everywhere; their API tokens stop working."
        case .enabled: return "User enabled. They can sign in again."
        case .password: return "Password reset and the user signed out everywhere."
        case .twoStepOff: return "Two-step sign-in turned off and the user signed out everywhere. They sign in with their password and can set it up again."
        }
    }

    /// The address of the user's page showing this notice.
    func location(userID: String) -> String {
        "/admin/users/\(userID)?done=\(rawValue)"
    }
}
