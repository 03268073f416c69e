import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
@testable import Web

/// `/admin/roles` against the PostgreSQL account store: custom roles are created, changed and
/// deleted (all audited), built-in roles stay as they are, bad forms are shown again with their
/// problem, forms need the session's token, nobody can take the last administrator's power away,
/// and a scoped role limits what its users read.
@Suite struct AdminRolesPageTests {
    static let csrf = CSRFToken(sessionSecret: Array(repeating: UInt8(7), count: 32))
    static var formToken: String { csrf.token(for: AdminRolesController<BasicRequestContext>.formPurpose) }
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let hostileName = "\"><img src=x onerror=alert(1)>"

    static func application(_ database: AdminTestDatabase, as user: User) async throws -> some ApplicationProtocol {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let principal = database.principal(user)
        let router = Router()
        AdminRolesController<BasicRequestContext>(
            store: database.store, templates: templates,
            access: AdminAccess(principal: { _ in principal }, csrf: { _ in csrf }, clientAddress: { _ in "192.0.2.1" }),
            logger: Logger(label: "test")
        ).addRoutes(to: router)
        return Application(router: router)
    }

    static func path(_ role: Role) -> String { "/admin/roles/\(role.id.uuidString.lowercased())" }

    static func customRoles(_ store: some AccountStore) async throws -> [Role] {
        try await store.roles().filter { !$0.isBuiltIn }
    }

    static let oncall = Role(name: "oncall-payments", permissions: [.tracesRead, .alertsManage], serviceScope: .services(["payments", "cart"]))

    @Test func aScopedCustomRoleIsCreatedListedWithItsScopeAndAudited() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                let location = try await client.execute(
                    uri: "/admin/roles", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=+checkout+team+&permission=traces.read&permission=dashboards.read"
                        + "&services=checkout%2C+payments-*%0D%0Acart%0A%0A&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                    return response.headers[.location] ?? ""
                }
                let role = try #require(try await Self.customRoles(database.store).first)
                #expect(role.name == "checkout team")
                #expect(role.permissions == [.tracesRead, .dashboardsRead])
                #expect(role.serviceScope == .services(["checkout", "payments-*", "cart"]))
                #expect(location == "\(Self.path(role))?notice=created")

                try await client.execute(uri: location, method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("class=\"notice\""))
                    #expect(page.contains("id=\"role-edit\""))
                    #expect(page.contains("checkout, payments-*, cart"))
                }
                try await client.execute(uri: "/admin/roles", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let row = try #require(Self.row(of: role, in: page))
                    #expect(row.contains("checkout team"))
                    #expect(row.contains("checkout, payments-*, cart"))
                    #expect(row.contains("traces.read"))
                    #expect(row.contains("0 users"))
                    #expect(!row.contains("Built-in"))
                    let admin = try #require(Self.row(of: .admin, in: page))
                    #expect(admin.contains("Built-in"))
                    #expect(admin.contains("All services"))
                    #expect(admin.contains("1 user"))
                    #expect(page.contains("id=\"permission-ingest-health-read\""))
                    #expect(page.contains("Restricted span"))
                }
            }
            let audit = try await database.store.auditEvents(AuditQuery(actions: [.roleCreated]))
            #expect(audit.events.map(\.target) == ["checkout team"])
            #expect(audit.events.first?.actorName == "ada")
            #expect(audit.events.first?.clientAddress == "192.0.2.1")
            #expect(audit.events.first?.after
                == #"{"name":"checkout team","permissions":["dashboards.read","traces.read"],"services":["checkout","payments-*","cart"]}"#)
        }
    }

    /// The `<tr>` of `role` in the roles table.
    static func row(of role: Role, in page: String) -> String? {
        guard let start = page.range(of: "<tr id=\"role-\(role.id.uuidString.lowercased())\">") else { return nil }
        guard let end = page.range(of: "</tr>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test func aUserGivenAScopedRoleReadsOnlyItsServicesThroughTheJaegerAPI() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let admin = try await app.makeUser("ada", role: .admin)
            let adminCookie = try await app.sessionCookie(for: admin)
            let secret = String(adminCookie.dropFirst("skein_session=".count))
            let formToken = CSRFToken(sessionSecret: Data(secret.utf8)).token(for: AdminRolesController<SkeinRequestContext>.formPurpose)
            let templates = try await PagesController<SkeinRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
            let router = Router(context: SkeinRequestContext.self)
            router.middlewares.add(SessionAuthenticator(store: app.store, cookie: SessionCookie(servesTLS: false)))
            router.middlewares.add(RouteGuard(policy: .standard))
            JaegerAPIController<SkeinRequestContext>(
                reader: try await PagesTestTraces.filledStore(), logger: app.logger,
                serviceScope: { $0.principal?.serviceScope ?? .none }
            ).addRoutes(to: router)
            AdminRolesController(store: app.store, templates: templates, access: .session, logger: app.logger).addRoutes(to: router)

            try await Application(router: router).test(.router) { client in
                try await client.execute(
                    uri: "/admin/roles", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: adminCookie],
                    body: ByteBuffer(string: "name=cart-readers&permission=traces.read&services=car*&csrf_token=\(formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                let role = try #require(try await Self.customRoles(app.store).first)
                let carol = try await app.makeUser("carol", role: .viewer)
                #expect(try await app.store.setRoles([role.id], userID: carol.id))
                let carolCookie = try await app.sessionCookie(for: carol)
                let carolSees = try await client.execute(uri: "/api/services", method: .get, headers: [.cookie: carolCookie]) { response in
                    #expect(response.status == .ok)
                    return response.body
                }
                #expect(try Self.services(in: carolSees) == ["cart"])
                let adminSees = try await client.execute(uri: "/api/services", method: .get, headers: [.cookie: adminCookie]) { $0.body }
                #expect(try Self.services(in: adminSees) == ["cart", "frontend", "payments"])
                try await client.execute(uri: "/admin/roles", method: .get, headers: [.cookie: adminCookie]) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("<a href=\"/admin/roles\" aria-current=\"page\">Roles</a>"))
                    #expect(page.contains("name=\"csrf_token\" value=\"\(formToken)\""))
                }
                try await client.execute(uri: "/admin/roles", method: .get, headers: [.cookie: carolCookie]) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }
    }

    static func services(in body: ByteBuffer) throws -> [String] {
        struct Answer: Decodable { var data: [String] }
        return try JSONDecoder().decode(Answer.self, from: Data(buffer: body)).data.sorted()
    }

    @Test func changingACustomRoleIsAuditedWithItBeforeAndAfter() async throws {
        try await AdminTestDatabase.with { database in
            try await database.store.createRole(Self.oncall)
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: Self.path(Self.oncall), method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("value=\"oncall-payments\""))
                    #expect(page.contains("value=\"alerts.manage\" id=\"permission-alerts-manage\" checked"))
                    #expect(page.contains(">payments, cart</textarea>"))
                    #expect(page.contains("id=\"role-delete\""))
                }
                try await client.execute(
                    uri: Self.path(Self.oncall), method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=oncall&permission=traces.read&services=&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "\(Self.path(Self.oncall))?notice=changed")
                }
            }
            let stored = try #require(try await database.store.role(id: Self.oncall.id))
            #expect(stored.name == "oncall")
            #expect(stored.permissions == [.tracesRead])
            #expect(stored.serviceScope == .unrestricted)
            let audit = try await database.store.auditEvents(AuditQuery(actions: [.roleChanged]))
            #expect(audit.events.count == 1)
            #expect(audit.events.first?.target == "oncall")
            #expect(audit.events.first?.before
                == #"{"name":"oncall-payments","permissions":["alerts.manage","traces.read"],"services":["payments","cart"]}"#)
            #expect(audit.events.first?.after == #"{"name":"oncall","permissions":["traces.read"],"services":"all"}"#)
        }
    }

    @Test func builtInRolesAreShownReadOnlyAndCannotBeChangedOrDeleted() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: Self.path(.viewer), method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("traces.read"))
                    #expect(page.contains("vic"))
                    #expect(!page.contains("<form id=\"role-edit\""))
                    #expect(!page.contains("<form id=\"role-delete\""))
                }
                try await client.execute(
                    uri: Self.path(.viewer), method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=viewer&permission=users.manage&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("Built-in roles cannot be changed"))
                }
                try await client.execute(
                    uri: "\(Self.path(.admin))/delete", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .badRequest)
                }
            }
            #expect(try await database.store.roles().filter(\.isBuiltIn) == Role.builtIns)
            #expect(try await database.store.auditEvents(AuditQuery()).events.isEmpty)
        }
    }

    @Test func deletingARoleTakesItFromItsUsersAndIsAudited() async throws {
        try await AdminTestDatabase.with { database in
            try await database.store.createRole(Self.oncall)
            #expect(try await database.store.setRoles([Role.viewer.id, Self.oncall.id], userID: database.viewer.id))
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: Self.path(Self.oncall), method: .get) { response in
                    #expect(String(buffer: response.body).contains("(held by 1 user)"))
                }
                try await client.execute(
                    uri: "\(Self.path(Self.oncall))/delete", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/roles?notice=deleted")
                }
                try await client.execute(uri: Self.path(Self.oncall), method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
            #expect(try await database.store.role(id: Self.oncall.id) == nil)
            #expect(try await database.store.user(id: database.viewer.id)?.roleIDs == [Role.viewer.id])
            let audit = try await database.store.auditEvents(AuditQuery(actions: [.roleDeleted]))
            #expect(audit.events.map(\.target) == ["oncall-payments"])
            #expect(audit.events.first?.before?.contains("\"services\":[\"payments\",\"cart\"]") == true)
        }
    }

    @Test(arguments: [
        "name=&permission=traces.read",
        "name=a%0Ab&permission=traces.read",
        "name=\(String(repeating: "r", count: 65))&permission=traces.read",
        "name=kept-name",
        "name=kept-name&permission=traces.write",
        "name=kept-name&permission=traces.read&services=ok%2C+bad%09tab",
        "name=kept-name&permission=traces.read&services=\(String(repeating: "s", count: 201))",
        "name=kept-name&permission=traces.read&services=\((1...51).map { "s\($0)" }.joined(separator: "%2C"))",
    ])
    func anUnusableCreateFormIsShownAgainWithItsProblemAndStoresNothing(fields: String) async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/admin/roles", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "\(fields)&csrf_token=\(Self.formToken)")
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .badRequest)
                    #expect(page.contains("class=\"problem\""))
                    #expect(page.contains("id=\"role-create\""))
                    if fields.hasPrefix("name=kept-name") { #expect(page.contains("value=\"kept-name\"")) }
                }
            }
            #expect(try await Self.customRoles(database.store).isEmpty)
            #expect(try await database.store.auditEvents(AuditQuery()).events.isEmpty)
        }
    }

    @Test func aTakenNameIsRefusedWithTheTypedValuesKept() async throws {
        try await AdminTestDatabase.with { database in
            try await database.store.createRole(Self.oncall)
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/admin/roles", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=OnCall-Payments&permission=audit.read&services=billing&csrf_token=\(Self.formToken)")
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .badRequest)
                    #expect(page.contains("already has this name"))
                    #expect(page.contains("value=\"OnCall-Payments\""))
                    #expect(page.contains(">billing</textarea>"))
                    #expect(page.contains("value=\"audit.read\" id=\"permission-audit-read\" checked"))
                }
            }
            #expect(try await Self.customRoles(database.store) == [Self.oncall])
        }
    }

    @Test func renamingOntoATakenNameIsRefusedWithTheTypedValuesKept() async throws {
        try await AdminTestDatabase.with { database in
            let other = Role(name: "billing", permissions: [.tracesRead])
            try await database.store.createRole(Self.oncall)
            try await database.store.createRole(other)
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: Self.path(other), method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=ONCALL-payments&permission=audit.read&services=ledger&csrf_token=\(Self.formToken)")
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .badRequest)
                    #expect(page.contains("already has this name"))
                    #expect(page.contains("value=\"ONCALL-payments\""))
                    #expect(page.contains(">ledger</textarea>"))
                }
            }
            #expect(try await database.store.role(id: other.id) == other)
            #expect(try await database.store.auditEvents(AuditQuery()).events.isEmpty)
        }
    }

    @Test func formsWithoutTheSessionsTokenAreRefusedAndChangeNothing() async throws {
        try await AdminTestDatabase.with { database in
            try await database.store.createRole(Self.oncall)
            let app = try await Self.application(database, as: database.admin)
            let foreign = CSRFToken(sessionSecret: [UInt8](repeating: 8, count: 32)).token(for: "admin.roles")
            let tokensPurpose = Self.csrf.token(for: "admin.tokens")
            try await app.test(.router) { client in
                for csrfField in ["", "csrf_token=forged", "csrf_token=\(foreign)", "csrf_token=\(tokensPurpose)"] {
                    for path in ["/admin/roles", Self.path(Self.oncall), "\(Self.path(Self.oncall))/delete"] {
                        try await client.execute(
                            uri: path, method: .post, headers: Self.form,
                            body: ByteBuffer(string: "name=other&permission=traces.read&\(csrfField)")
                        ) { response in
                            #expect(response.status == .forbidden, "\(path) with \(csrfField)")
                        }
                    }
                }
            }
            #expect(try await Self.customRoles(database.store) == [Self.oncall])
            #expect(try await database.store.auditEvents(AuditQuery()).events.isEmpty)
        }
    }

    @Test func aChangeOrDeletionThatLeavesNoAdministratorIsRefused() async throws {
        try await AdminTestDatabase.with { database in
            let keepers = Role(name: "keepers", permissions: [.usersManage, .rolesManage, .tracesRead])
            try await database.store.createRole(keepers)
            #expect(try await database.store.setRoles([keepers.id], userID: database.admin.id))
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: Self.path(keepers), method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=keepers&permission=roles.manage&csrf_token=\(Self.formToken)")
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .badRequest)
                    #expect(page.contains("Nobody enabled would be left"))
                    #expect(!page.contains("value=\"users.manage\" id=\"permission-users-manage\" checked"))
                }
                try await client.execute(
                    uri: "\(Self.path(keepers))/delete", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("Nobody enabled would be left"))
                }
                // With another administrator the same change goes through.
                #expect(try await database.store.setRoles([Role.admin.id], userID: database.viewer.id))
                try await client.execute(
                    uri: Self.path(keepers), method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=keepers&permission=roles.manage&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                }
            }
            #expect(try await database.store.role(id: keepers.id)?.permissions == [.rolesManage])
            #expect(try await database.store.auditEvents(AuditQuery(actions: [.roleChanged])).events.count == 1)
            #expect(try await database.store.auditEvents(AuditQuery(actions: [.roleDeleted])).events.isEmpty)
        }
    }

    @Test func aHostileRoleNameIsEscapedOnTheListAndTheRolePage() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                let location = try await client.execute(
                    uri: "/admin/roles", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&permission=traces.read&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                    return response.headers[.location] ?? ""
                }
                let role = try #require(try await Self.customRoles(database.store).first)
                #expect(role.name == Self.hostileName)
                for path in ["/admin/roles", location] {
                    try await client.execute(uri: path, method: .get) { response in
                        let page = String(buffer: response.body)
                        #expect(response.status == .ok)
                        #expect(!page.contains("<img src=x"), "\(path)")
                        #expect(!page.contains(Self.hostileName), "\(path)")
                        #expect(!page.contains("onerror=alert(1)>"), "\(path)")
                        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(path)")
                    }
                }
            }
        }
    }

    @Test(arguments: ["not-a-uuid", "00000000-0000-4000-8000-0000000000ff"])
    func anUnknownOrMalformedRoleIdIsNotFound(id: String) async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/roles/\(id)", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(
                    uri: "/admin/roles/\(id)", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=x&permission=traces.read&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func someoneWithoutRolesManageCannotListCreateOrDelete() async throws {
        try await AdminTestDatabase.with { database in
            try await database.store.createRole(Self.oncall)
            let app = try await Self.application(database, as: database.viewer)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/roles", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/admin/roles", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=x&permission=traces.read&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "\(Self.path(Self.oncall))/delete", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await Self.customRoles(database.store) == [Self.oncall])
        }
    }
}
