import Accounts
import Foundation

/// One role checkbox of the user forms (`name="role"`, the role's id as value): its name, what it
/// allows as text, and whether it is ticked.
struct AdminRoleChoice: Sendable {
    var id: String
    var name: String
    /// The role's permissions (their stored names) and, when limited, its services.
    var permissions: String
    var checked: Bool

    init(role: Role, checked: Bool) {
        id = role.id.uuidString.lowercased()
        name = role.name
        let held = Permission.allCases.filter { role.permissions.contains($0) }.map(\.rawValue)
        var text = held.isEmpty ? "no permissions" : held.joined(separator: ", ")
        if case .services(let patterns) = role.serviceScope {
            text += patterns.isEmpty ? "; no services" : "; services " + patterns.joined(separator: ", ")
        }
        permissions = text
        self.checked = checked
    }

    /// A checkbox for every role, in the store's order, ticked when `held` has it.
    static func all(_ roles: [Role], held: Set<UUID>) -> [AdminRoleChoice] {
        roles.map { AdminRoleChoice(role: $0, checked: held.contains($0.id)) }
    }

    /// The names of the roles in `ids`, in the store's order (ids of no known role are left out).
    static func names(of ids: Set<UUID>, in roles: [Role]) -> [String] {
        roles.filter { ids.contains($0.id) }.map(\.name)
    }
}
