import Accounts

/// Who may reach a route: anyone, or a principal holding one permission.
public enum RouteAccess: Sendable, Hashable {
    /// Anyone, signed in or not.
    case `public`
    /// Only a principal holding the permission; anonymous browsers are sent to `/login`.
    case requires(Permission)
}
