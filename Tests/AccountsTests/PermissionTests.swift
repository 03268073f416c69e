import Accounts
import Testing

@Suite("Permissions and built-in roles")
struct PermissionTests {
    @Test("Every permission has a dotted raw value and a description")
    func everyPermissionIsNamedAndDescribed() {
        for permission in Permission.allCases {
            #expect(permission.rawValue.contains("."))
            #expect(!permission.summary.isEmpty)
        }
        #expect(Permission(rawValue: "traces.read") == .tracesRead)
        #expect(Permission(rawValue: "ingest.health.read") == .ingestHealthRead)
        #expect(Set(Permission.allCases.map(\.rawValue)).count == Permission.allCases.count)
    }

    @Test("A viewer reads traces and dashboards and nothing else")
    func viewerReadsOnly() {
        #expect(Role.viewer.permissions == [.tracesRead, .dashboardsRead])
        #expect(Role.viewer.serviceScope == .unrestricted)
    }

    @Test("A responder is a viewer who also manages SLOs and alerts, saves searches and pins traces")
    func responderExtendsViewer() {
        #expect(Role.responder.permissions.isSuperset(of: Role.viewer.permissions))
        #expect(Role.responder.permissions == [.tracesRead, .dashboardsRead, .slosManage, .alertsManage, .searchesSave, .tracesPin])
        #expect(!Role.responder.permissions.contains(.usersManage))
        #expect(!Role.responder.permissions.contains(.auditRead))
    }

    @Test("An admin holds every permission")
    func adminHoldsEverything() {
        #expect(Role.admin.permissions == Set(Permission.allCases))
    }

    @Test("The built-in roles have distinct fixed ids and are marked built in")
    func builtInsAreFixed() {
        #expect(Role.builtIns.map(\.name) == ["viewer", "responder", "admin"])
        #expect(Set(Role.builtIns.map(\.id)).count == 3)
        #expect(Role.builtIns.allSatisfy { $0.isBuiltIn })
        #expect(Role.viewer.id == Role.viewer.id)
        #expect(Role.admin.id.uuidString == "00000000-0000-4000-8000-000000000003")
    }

    @Test("Role names are visible text of at most 64 characters", arguments: [
        ("checkout team", true), ("Équipe paiements", true), (String(repeating: "r", count: 64), true),
        ("", false), ("   ", false), (String(repeating: "r", count: 65), false), ("a\nb", false),
        ("rtl\u{202E}", false), ("back\\slash", false),
    ])
    func roleNames(name: String, valid: Bool) {
        #expect((Role.problem(withName: name) == nil) == valid)
    }
}
