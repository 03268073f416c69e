import Accounts

/// Who may reach a route: anyone, any signed-in principal, or a principal holding one permission.
public enum RouteAccess: Sendable, Hashable {
    /// Anyone, signed in or not.
    case `public`
    /// Any signed-in principal, whatever its permissions (the route itself decides what it shows:
    /// one's own account page).
    case signedIn
    /// Only a principal holding the permission; anonymous browsers are sent to `/login`.
    case requires(Permission)
}
