import Accounts

/// What every page's header shows besides the page itself: who is signed in (with the sign-out
/// form's token) and which navigation links the principal's permissions open.
///
/// Page view models carry it as `chrome`; `header.mustache` renders it inside `{{#chrome}}`, so a
/// link is shown only to those who may follow it (the route guard still decides on each request).
public struct PageChrome: Sendable, Hashable {
    public let signedIn: SignedInHeader?
    public let showsSearch: Bool
    public let showsIngest: Bool
    public let showsUsers: Bool
    public let showsRoles: Bool
    public let showsTokens: Bool
    public let showsAudit: Bool
    /// True when at least one admin link is shown (the header then shows the admin group).
    /// Stored, not computed: templates read properties by reflection, which sees stored ones only.
    public let showsAdmin: Bool

    /// The header for `principal` (nil: an anonymous visitor, who sees no links at all).
    public init(principal: Principal?, signedIn: SignedInHeader?) {
        self.signedIn = signedIn
        let can: (Permission) -> Bool = { principal?.can($0) ?? false }
        showsSearch = can(.tracesRead)
        showsIngest = can(.ingestHealthRead)
        showsUsers = can(.usersManage)
        showsRoles = can(.rolesManage)
        showsTokens = can(.tokensManage)
        showsAudit = can(.auditRead)
        showsAdmin = showsUsers || showsRoles || showsTokens || showsAudit
    }

    /// An anonymous visitor's header: no name, no links (the default where no principal is known).
    public static let anonymous = PageChrome(principal: nil, signedIn: nil)

    /// The header for a request of the UI listener.
    public init(context: SkeinRequestContext) {
        self.init(principal: context.principal, signedIn: SignedInHeader(context: context))
    }
}
