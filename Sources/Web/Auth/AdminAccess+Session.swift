import Foundation

extension AdminAccess where Context == SkeinRequestContext {
    /// The admin pages' view of the UI listener's context: the principal `SessionAuthenticator`
    /// found, form tokens keyed by the session secret (none for bearer-token requests), and the
    /// client's address, and the page header.
    public static var session: AdminAccess<SkeinRequestContext> {
        AdminAccess(
            principal: { $0.principal },
            csrf: { context in context.sessionSecret.map { CSRFToken(sessionSecret: Data($0.utf8)) } },
            clientAddress: { $0.clientAddress },
            chrome: { PageChrome(context: $0) })
    }
}
