import Foundation

/// Who is asking — a signed-in user or an API token — and what they may do and see.
///
/// Built once per request from the user (or token and its owner) and their roles; route guards ask
/// `can(_:)` and filter services with `allows(service:)`.
public struct Principal: Sendable, Hashable {
    /// The identity behind the request.
    public enum Identity: Sendable, Hashable {
        case user(id: UUID, name: String)
        case apiToken(id: UUID, name: String, ownerID: UUID)
    }

    public let identity: Identity
    public let permissions: Set<Permission>
    public let serviceScope: ServiceScope

    public init(identity: Identity, permissions: Set<Permission>, serviceScope: ServiceScope) {
        self.identity = identity
        self.permissions = permissions
        self.serviceScope = serviceScope
    }

    /// A user with the union of the permissions and service scopes of their roles (roles the user
    /// does not hold are ignored). A disabled user has no permissions and no services.
    public init(user: User, roles: [Role]) {
        let held = roles.filter { user.roleIDs.contains($0.id) }
        self.identity = .user(id: user.id, name: user.name)
        if user.isDisabled {
            self.permissions = []
            self.serviceScope = .none
        } else {
            self.permissions = held.reduce(into: Set<Permission>()) { $0.formUnion($1.permissions) }
            self.serviceScope = ServiceScope.union(of: held.map(\.serviceScope))
        }
    }

    /// A read token may read traces, within its own scope and never beyond what its owner may
    /// read now; an ingest token has no read permissions at all. A token that is revoked or expired
    /// at `now`, or whose owner is disabled, has none either.
    public init(token: APIToken, owner: User, ownerRoles: [Role], now: Date) {
        let ownerPrincipal = Principal(user: owner, roles: ownerRoles)
        self.identity = .apiToken(id: token.id, name: token.name, ownerID: token.ownerUserID)
        guard token.kind == .read, token.isUsable(at: now), !owner.isDisabled else {
            self.permissions = []
            self.serviceScope = .none
            return
        }
        self.permissions = ownerPrincipal.permissions.intersection(APIToken.readPermissions)
        self.serviceScope = token.scope.intersection(ownerPrincipal.serviceScope)
    }

    /// Whether the principal holds `permission`.
    public func can(_ permission: Permission) -> Bool {
        permissions.contains(permission)
    }

    /// Whether the principal may see traces of `service`.
    public func allows(service: String) -> Bool {
        serviceScope.allows(service: service)
    }

    /// The name to show and to write in the audit log: the user name, or `token:<name>`.
    public var displayName: String {
        switch identity {
        case .user(_, let name): return name
        case .apiToken(_, let name, _): return "token:\(name)"
        }
    }

    /// The user acting, or the token's owner.
    public var userID: UUID {
        switch identity {
        case .user(let id, _): return id
        case .apiToken(_, _, let ownerID): return ownerID
        }
    }
}
