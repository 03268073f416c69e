/// What `header.mustache` shows for a signed-in browser (`{{#signedIn}}` inside `{{#chrome}}`): the
/// user's name, linking to `/account`, and the sign-out form's CSRF token. `PageChrome` carries it.
public struct SignedInHeader: Sendable, Hashable {
    public let name: String
    public let logoutToken: String

    /// nil for anonymous and bearer-token requests (they have no session to end).
    public init?(context: SkeinRequestContext) {
        guard let principal = context.principal, context.session != nil, let token = LoginController.logoutToken(for: context) else {
            return nil
        }
        name = principal.displayName
        logoutToken = token
    }
}
