import Accounts
import Foundation

/// What the role create and edit forms show: the typed name and services, and one checkbox per
/// permission (its raw name, what it allows, whether it is checked).
struct AdminRoleFormView: Sendable {
    /// One permission checkbox.
    struct PermissionOption: Sendable {
        var value: String
        /// The checkbox's element id: `permission-` and the raw name with `.` as `-`.
        var fieldID: String
        var summary: String
        var checked: Bool
    }

    var name: String
    var services: String
    var permissions: [PermissionOption]

    init(_ form: AdminRoleForm) {
        name = form.name
        services = form.services
        let checked = Set(form.permissionValues)
        permissions = Permission.allCases.map { permission in
            PermissionOption(
                value: permission.rawValue,
                fieldID: "permission-" + permission.rawValue.replacingOccurrences(of: ".", with: "-"),
                summary: permission.summary,
                checked: checked.contains(permission.rawValue))
        }
    }
}
