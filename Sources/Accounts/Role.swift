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

    /// Fixed ids, so the built-ins are the same rows in every database.
    private static func builtInID(_ number: UInt8) -> UUID {
        UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, number))
    }
}
