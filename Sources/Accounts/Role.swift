import Foundation

/// A named set of permissions limited to a set of services; users hold one or more roles.
public struct Role: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var name: String
    public var permissions: Set<Permission>
    public var serviceScope: ServiceScope
    /// Built-in roles are seeded by Skein and cannot be changed or deleted.
    public var isBuiltIn: Bool

    public init(id: UUID = UUID(), name: String, permissions: Set<Permission>, serviceScope: ServiceScope = .unrestricted, isBuiltIn: Bool = false) {
        self.id = id
        self.name = name
        self.permissions = permissions
        self.serviceScope = serviceScope
        self.isBuiltIn = isBuiltIn
    }

    /// Reads traces and dashboards of every service.
    public static let viewer = Role(
        id: builtInID(1), name: "viewer",
        permissions: [.tracesRead, .dashboardsRead],
        isBuiltIn: true
    )

    /// A viewer who also looks after SLOs and alerts, saves searches and pins traces.
    public static let responder = Role(
        id: builtInID(2), name: "responder",
        permissions: viewer.permissions.union([.slosManage, .alertsManage, .searchesSave, .tracesPin]),
        isBuiltIn: true
    )

    /// Everything, including users, roles, tokens, retention, redaction and the audit log.
    public static let admin = Role(
        id: builtInID(3), name: "admin",
        permissions: Set(Permission.allCases),
        isBuiltIn: true
    )

    /// The roles every Skein database holds, in order of increasing power.
    public static let builtIns: [Role] = [viewer, responder, admin]

    /// Longest role name accepted.
    public static let maximumNameLength = 64

    /// Why `name` cannot name a role, or nil when it can: 1…64 characters, not only spaces, and no
    /// control or invisible characters (role names appear on pages and in the audit log).
    public static func problem(withName name: String) -> String? {
        if name.allSatisfy(\.isWhitespace) { return "Enter a role name." }
        if name.unicodeScalars.count > maximumNameLength {
            return "Use at most \(maximumNameLength) characters for the role name."
        }
        if !AuditText.isSanitised(name, limit: maximumNameLength) || name.contains("\\") || name.contains(where: { $0.isNewline }) {
            return "Use only visible characters in the role name."
        }
        return nil
    }

    /// Fixed ids, so the built-ins are the same rows in every database.
    private static func builtInID(_ number: UInt8) -> UUID {
        UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, number))
    }
}
