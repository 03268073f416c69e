import Accounts
import Foundation

/// The fields of the role create and edit forms, as typed (kept when the form is shown again),
/// and the rules that turn them into a role's name, permissions and service scope.
///
/// `permission` is a checkbox group (one value per checked permission); `services` holds service
/// patterns separated by commas or line breaks, empty for every service.
struct AdminRoleForm: Sendable, Equatable {
    var name: String
    var permissionValues: [String]
    var services: String

    /// Why the form cannot make a role: a sentence for the page.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// The role's parts when the form is usable.
    struct Parts: Equatable {
        var name: String
        var permissions: Set<Permission>
        var serviceScope: ServiceScope
    }

    init(name: String = "", permissionValues: [String] = [], services: String = "") {
        self.name = name
        self.permissionValues = permissionValues
        self.services = services
    }

    /// The form as posted.
    init(_ fields: FormFields) {
        self.init(
            name: fields.value("name") ?? "", permissionValues: fields.values("permission"),
            services: fields.value("services") ?? "")
    }

    /// The form filled with `role`'s current values (the edit form).
    init(role: Role) {
        self.init(
            name: role.name, permissionValues: role.permissions.map(\.rawValue).sorted(),
            services: role.serviceScope.patterns?.joined(separator: ", ") ?? "")
    }

    /// The patterns typed in `services`: split at commas and line breaks, trimmed, blanks dropped.
    var servicePatterns: [String] {
        ServicePatternList.parse(services)
    }

    /// The name, permissions and scope the form describes, or the first problem with it.
    func parts() -> Result<Parts, Problem> {
        let name = name.trimmingCharacters(in: .whitespaces)
        if let problem = Role.problem(withName: name) { return .failure(Problem(message: problem)) }
        var permissions = Set<Permission>()
        for value in permissionValues {
            guard let permission = Permission(rawValue: value) else {
                return .failure(Problem(message: "Choose permissions from the list only."))
            }
            permissions.insert(permission)
        }
        if permissions.isEmpty { return .failure(Problem(message: "Choose at least one permission.")) }
        let patterns = servicePatterns
        if let problem = ServicePatternList.problem(with: patterns) {
            return .failure(Problem(message: problem))
        }
        let scope: ServiceScope = patterns.isEmpty ? .unrestricted : ServiceScope(patterns: patterns)
        return .success(Parts(name: name, permissions: permissions, serviceScope: scope))
    }
}
