/// View model of the sign-in and first-admin pages (`login.mustache`, `setup.mustache`).
struct AuthPageModel: Sendable {
    var title: String
    var csrfToken: String
    /// A sentence saying why the last attempt was refused.
    var problem: String?
    /// The name typed last, shown again after a refusal.
    var username: String = ""
    var displayName: String = ""
    /// Where to go after sign-in (already checked by `LocalRedirect`).
    var next: String = "/"
    /// The setup token in the form's address (setup page only).
    var token: String = ""
}
