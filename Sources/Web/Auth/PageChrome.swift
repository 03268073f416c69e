import Accounts

/// What every page's header shows besides the page itself: who is signed in (with the sign-out
/// form's token) and which navigation links the principal's permissions open.
///
/// Page view models carry it as `chrome`; `header.mustache` renders it inside `{{#chrome}}`, so a
/// link is shown only to those who may follow it (the route guard still decides on each request).
public struct PageChrome: Sendable, Hashable {
    public var signedIn: SignedInHeader?
    public var showsSearch: Bool
    public var showsIngest: Bool
    public var showsUsers: Bool
    public var showsRoles: Bool
    public var showsTokens: Bool
    public var showsAudit: Bool

    /// True when at least one admin link is shown (the header then shows the admin menu).
    public var showsAdmin: Bool { showsUsers || showsRoles || showsTokens || showsAudit }

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
    }

    /// An anonymous visitor's header: no name, no links (the default where no principal is known).
    public static let anonymous = PageChrome(principal: nil, signedIn: nil)

    /// The header for a request of the UI listener.
    public init(context: SkeinRequestContext) {
        self.init(principal: context.principal, signedIn: SignedInHeader(context: context))
    }
}
