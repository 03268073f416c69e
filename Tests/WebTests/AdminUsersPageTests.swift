import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
@testable import Web

/// `/admin/users` through the UI router (sessions, route guard, bearer tokens) against the
/// PostgreSQL account store: creating users with roles, refused forms, disabling and enabling,
/// password resets, role changes, the last-manager rule, the roles.manage rule and escaping.
@Suite struct AdminUsersPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let goodPassword = "violet kettle harbour lantern"

    /// The UI router with a signed-in admin `ada` (and her form token for `admin.users`).
    struct Harness: Sendable {
        let app: AuthTestApp
        let admin: User
        let adminCookie: String
        let adminFormToken: String

        init(database: WebTestDatabase) async throws {
            app = try await AuthTestApp(database: database)
            admin = try await app.makeUser("ada", role: .admin)
            (adminCookie, adminFormToken) = try await Self.session(app, for: admin)
        }

        /// A session cookie of `user` and the matching `admin.users` form token.
        static func session(_ app: AuthTestApp, for user: User) async throws -> (cookie: String, formToken: String) {
            let opened = try await app.signIn.openSession(for: user)
            let token = CSRFToken(sessionSecret: Data(opened.secret.utf8)).token(for: AdminUsersController<SkeinRequestContext>.formPurpose)
            return ("skein_session=\(opened.secret)", token)
        }

        func headers(cookie: String? = nil, form: Bool = false) -> HTTPFields {
            var headers: HTTPFields = form ? AdminUsersPageTests.form : [:]
            headers[.cookie] = cookie ?? adminCookie
            return headers
        }

        /// `name=value&…` with every value percent-encoded.
        static func body(_ fields: [(String, String)]) -> ByteBuffer {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let text = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
            return ByteBuffer(string: text)
        }
    }

    static func id(_ user: User) -> String { user.id.uuidString.lowercased() }

    @Test func aUserCreatedWithRolesIsListedAndCanSignIn() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                let location = try await client.execute(
                    uri: "/admin/users", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("name", "grace"), ("display_name", "Grace Hopper"), ("password", Self.goodPassword),
                                        ("role", Self.idString(Role.viewer)), ("role", Self.idString(Role.responder)),
                                        ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    return response.headers[.location] ?? ""
                }
                let grace = try #require(try await harness.app.store.user(named: "grace"))
                #expect(location == "/admin/users/\(Self.id(grace))?done=created")
                #expect(grace.displayName == "Grace Hopper")
                #expect(grace.roleIDs == [Role.viewer.id, Role.responder.id])
                try await client.execute(uri: "/admin/users", method: .get, headers: harness.headers()) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("<tr id=\"user-\(Self.id(grace))\">"))
                    #expect(page.contains("<a href=\"/admin/users/\(Self.id(grace))\">grace</a>"))
                    #expect(page.contains("viewer, responder"))
                    #expect(page.contains("data-role-name=\"admin\""))
                }
                try await client.execute(uri: location, method: .get, headers: harness.headers()) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("User created."))
                    #expect(page.contains("id=\"user-roles\""))
                    #expect(page.contains("id=\"user-disable\""))
                    #expect(page.contains("id=\"user-password\""))
                }
            }
            guard case .succeeded = try await harness.app.signIn.attempt(name: "grace", password: Self.goodPassword, address: "192.0.2.9") else {
                Issue.record("the new user cannot sign in")
                return
            }
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.userCreated]))
            let event = try #require(audit.events.first)
            #expect(event.target == "grace")
            #expect(event.actorName == "ada")
            let after = try #require(event.after)
            #expect(after.contains("\"roles\":[\"viewer\",\"responder\"]"))
            #expect(after.contains("Grace Hopper"))
            #expect(!after.contains(Self.goodPassword))
            #expect(!after.contains("$2"))
        }
    }

    static func idString(_ role: Role) -> String { role.id.uuidString.lowercased() }

    @Test(arguments: [
        ("grace", "", "short pass", "at least 12"),
        ("grace", "", "password1234", "most common"),
        ("grace", "Grace", "grace2024!!!!", "user name or display name"),
        ("ADA", "", AdminUsersPageTests.goodPassword, "is taken"),
        ("gr\nace", "", AdminUsersPageTests.goodPassword, "letters A to Z"),
        ("grace", "Grace\u{1B}[31m", AdminUsersPageTests.goodPassword, "visible characters"),
        ("", "", AdminUsersPageTests.goodPassword, "Enter a user name"),
    ])
    func anUnacceptableNewUserIsShownAgainWithItsProblemAndNothingIsCreated(
        name: String, displayName: String, password: String, problem: String
    ) async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("name", name), ("display_name", displayName), ("password", password),
                                        ("role", Self.idString(Role.viewer)), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .badRequest)
                    #expect(page.contains("class=\"problem\" role=\"alert\""))
                    #expect(page.contains(problem), "\(page)")
                    #expect(!page.contains(password))
                    if name == "ADA" { #expect(page.contains("value=\"ADA\"")) }
                    // The ticked role stays ticked.
                    #expect(page.contains("value=\"\(Self.idString(Role.viewer))\" data-role-name=\"viewer\" checked"))
                }
            }
            #expect(try await harness.app.store.users().map(\.name) == ["ada"])
            #expect(try await harness.app.store.auditEvents(AuditQuery(actions: [.userCreated])).events.isEmpty)
        }
    }

    @Test(arguments: ["", "forged", CSRFToken(sessionSecret: Data("another session".utf8)).token(for: "admin.users")])
    func aFormWithoutTheSessionsTokenIsRefusedAndCreatesNothing(csrfToken: String) async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("name", "grace"), ("password", Self.goodPassword), ("csrf_token", csrfToken)])
                ) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(harness.admin))/password", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("password", Self.goodPassword), ("csrf_token", csrfToken)])
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await harness.app.store.users().map(\.name) == ["ada"])
            #expect(try await harness.app.store.auditEvents(AuditQuery(actions: [.userCreated, .passwordChanged])).events.isEmpty)
        }
    }

    @Test func disablingAUserEndsTheirSessionsAndStopsTheirReadToken() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let vic = try await harness.app.makeUser("vic", role: .viewer)
            let vicCookie = try await harness.app.sessionCookie(for: vic)
            let secret = SecretToken.generate(.read)
            try await harness.app.store.createAPIToken(APIToken(name: "grafana", kind: .read, ownerUserID: vic.id), secretHash: secret.hash)
            let bearer: HTTPFields = [.authorization: "Bearer \(secret.value)"]
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(uri: "/", method: .get, headers: [.cookie: vicCookie]) { #expect($0.status == .ok) }
                try await client.execute(uri: "/api/services", method: .get, headers: bearer) { #expect($0.status == .ok) }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/disable", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/users/\(Self.id(vic))?done=disabled")
                }
                // Ended in the store by the disabling itself, before the cookie is presented again.
                let vicSecret = String(vicCookie.dropFirst("skein_session=".count))
                #expect(try await harness.app.store.session(idHash: SecretToken.hash(vicSecret)) == nil)
                try await client.execute(uri: "/", method: .get, headers: [.cookie: vicCookie]) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
                try await client.execute(uri: "/api/services", method: .get, headers: bearer) { #expect($0.status != .ok) }
                try await client.execute(uri: "/admin/users/\(Self.id(vic))?done=disabled", method: .get, headers: harness.headers()) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("class=\"notice\" role=\"status\""))
                    #expect(page.contains("id=\"user-enable\""))
                    #expect(!page.contains("id=\"user-disable\""))
                }
            }
            #expect(try await harness.app.store.user(id: vic.id)?.isDisabled == true)
            guard case .refused = try await harness.app.signIn.attempt(
                name: "vic", password: "correct horse battery staple", address: "192.0.2.9") else {
                Issue.record("a disabled user signed in")
                return
            }
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.userDisabled]))
            #expect(audit.events.map(\.target) == ["vic"])
            #expect(audit.events.first?.actorName == "ada")
            #expect(audit.events.first?.after == "{\"sessions_ended\":1,\"status\":\"disabled\"}")
        }
    }

    @Test func enablingADisabledUserLetsThemSignInAgain() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let vic = try await harness.app.makeUser("vic", role: .viewer, disabled: true)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/enable", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/users/\(Self.id(vic))?done=enabled")
                }
            }
            #expect(try await harness.app.store.user(id: vic.id)?.isDisabled == false)
            guard case .succeeded = try await harness.app.signIn.attempt(
                name: "vic", password: "correct horse battery staple", address: "192.0.2.9") else {
                Issue.record("an enabled user cannot sign in")
                return
            }
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.userEnabled]))
            #expect(audit.events.map(\.target) == ["vic"])
        }
    }

    @Test func resettingAPasswordEndsTheUsersSessionsAndTheNewPasswordWorks() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let vic = try await harness.app.makeUser("vic", role: .viewer)
            let vicCookie = try await harness.app.sessionCookie(for: vic)
            let newPassword = "quiet orchard copper meadow"
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/password", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("password", "vic"), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("at least 12"))
                }
                try await client.execute(uri: "/", method: .get, headers: [.cookie: vicCookie]) { #expect($0.status == .ok) }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/password", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("password", newPassword), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/users/\(Self.id(vic))?done=password")
                }
                try await client.execute(uri: "/", method: .get, headers: [.cookie: vicCookie]) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
            }
            guard case .succeeded = try await harness.app.signIn.attempt(name: "vic", password: newPassword, address: "192.0.2.9") else {
                Issue.record("the new password does not work")
                return
            }
            guard case .refused = try await harness.app.signIn.attempt(
                name: "vic", password: "correct horse battery staple", address: "192.0.2.9") else {
                Issue.record("the old password still works")
                return
            }
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.passwordChanged]))
            #expect(audit.events.map(\.target) == ["vic"])
            #expect(audit.events.allSatisfy { !($0.after ?? "").contains(newPassword) && !($0.after ?? "").contains("$2") })
        }
    }

    @Test func turningOffALostAuthenticatorLetsThePasswordAloneSignInAndEndsSessions() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let vic = try await harness.app.makeUser("vic", role: .viewer)
            #expect(try await harness.app.store.setTOTPSecret(TOTP.generateSecret(), userID: vic.id))
            let vicCookie = try await harness.app.sessionCookie(for: vic)
            guard case .refused = try await harness.app.signIn.attempt(
                name: "vic", password: "correct horse battery staple", address: "192.0.2.9") else {
                Issue.record("a password without the code signed in while two-step was on")
                return
            }
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(uri: "/admin/users/\(Self.id(vic))", method: .get, headers: harness.headers()) { response in
                    #expect(String(buffer: response.body).contains("id=\"user-totp-disable\""))
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/totp/disable", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/users/\(Self.id(vic))?done=two-step-off")
                }
                try await client.execute(uri: "/", method: .get, headers: [.cookie: vicCookie]) { response in
                    #expect(response.status == .found)
                }
                try await client.execute(uri: "/admin/users/\(Self.id(vic))", method: .get, headers: harness.headers()) { response in
                    #expect(!String(buffer: response.body).contains("id=\"user-totp-disable\""))
                }
            }
            #expect(try await harness.app.store.user(id: vic.id)?.totpSecret == nil)
            guard case .succeeded = try await harness.app.signIn.attempt(
                name: "vic", password: "correct horse battery staple", address: "192.0.2.10") else {
                Issue.record("the password alone does not sign in after two-step was turned off")
                return
            }
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.totpDisabled]))
            #expect(audit.events.map(\.target) == ["vic"])
        }
    }

    @Test func aRoleChangeIsAuditedWithTheRolesBeforeAndAfter() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let vic = try await harness.app.makeUser("vic", role: .viewer)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/roles", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("role", UUID().uuidString), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("Choose roles from the list."))
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/roles", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("role", Self.idString(Role.responder)), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/users/\(Self.id(vic))?done=roles")
                }
            }
            #expect(try await harness.app.store.user(id: vic.id)?.roleIDs == [Role.responder.id])
            let audit = try await harness.app.store.auditEvents(AuditQuery(actions: [.userChanged]))
            #expect(audit.events.count == 1)
            #expect(audit.events.first?.target == "vic")
            #expect(audit.events.first?.before == "{\"roles\":[\"viewer\"]}")
            #expect(audit.events.first?.after == "{\"roles\":[\"responder\"]}")
        }
    }

    @Test func theLastAdminCannotBeDemotedOrDisableThemselves() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let path = "/admin/users/\(Self.id(harness.admin))"
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "\(path)/roles", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("role", Self.idString(Role.viewer)), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("last enabled user who may manage users and roles"))
                }
                try await client.execute(
                    uri: "\(path)/disable", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("cannot disable your own account"))
                }
                try await client.execute(uri: path, method: .get, headers: harness.headers()) { response in
                    #expect(!String(buffer: response.body).contains("id=\"user-disable\""))
                }
            }
            let ada = try #require(try await harness.app.store.user(id: harness.admin.id))
            #expect(ada.roleIDs == [Role.admin.id])
            #expect(!ada.isDisabled)
            #expect(try await harness.app.store.auditEvents(AuditQuery(actions: [.userChanged, .userDisabled])).events.isEmpty)
        }
    }

    @Test func withASecondAdminTheFirstMayStepDown() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            try await harness.app.makeUser("bea", role: .admin)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users/\(Self.id(harness.admin))/roles", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("role", Self.idString(Role.viewer)), ("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                }
            }
            #expect(try await harness.app.store.user(id: harness.admin.id)?.roleIDs == [Role.viewer.id])
        }
    }

    @Test func theLastManagerCannotBeDisabledEvenByAnotherPrincipalHoldingEveryPermission() async throws {
        try await AdminTestDatabase.with { database in
            let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
            let csrf = CSRFToken(sessionSecret: Data("a session".utf8))
            // Not a stored user: the stored admin ada is the only manager.
            let outsider = Principal(
                identity: .user(id: UUID(), name: "outsider"), permissions: Set(Permission.allCases), serviceScope: .unrestricted)
            let router = Router()
            AdminUsersController<BasicRequestContext>(
                store: database.store, templates: templates,
                access: AdminAccess(principal: { _ in outsider }, csrf: { _ in csrf }), hasher: PasswordHasher(cost: 4),
                logger: Logger(label: "test")
            ).addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                try await client.execute(
                    uri: "/admin/users/\(Self.id(database.admin))/disable", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(csrf.token(for: "admin.users"))")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("last enabled user who may manage users and roles"))
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(database.viewer))/disable", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "csrf_token=\(csrf.token(for: "admin.users"))")
                ) { response in
                    #expect(response.status == .seeOther)
                }
            }
            #expect(try await database.store.user(id: database.admin.id)?.isDisabled == false)
            #expect(try await database.store.user(id: database.viewer.id)?.isDisabled == true)
        }
    }

    @Test func aUserManagerWithoutRolesManageCannotAssignRolesOrTakeOverAnAdmin() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            let managers = Role(name: "user-managers", permissions: [.usersManage])
            try await harness.app.store.createRole(managers)
            let uma = try await harness.app.makeUser("uma", role: managers)
            let (umaCookie, umaToken) = try await Harness.session(harness.app, for: uma)
            let vic = try await harness.app.makeUser("vic", role: .viewer)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(uri: "/admin/users", method: .get, headers: harness.headers(cookie: umaCookie)) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(!page.contains("name=\"role\""))
                }
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: harness.headers(cookie: umaCookie, form: true),
                    body: Harness.body([("name", "mallory"), ("password", Self.goodPassword),
                                        ("role", Self.idString(Role.admin)), ("csrf_token", umaToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("You may not assign roles"))
                }
                #expect(try await harness.app.store.user(named: "mallory") == nil)
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: harness.headers(cookie: umaCookie, form: true),
                    body: Harness.body([("name", "mallory"), ("password", Self.goodPassword), ("csrf_token", umaToken)])
                ) { response in
                    #expect(response.status == .seeOther)
                }
                #expect(try await harness.app.store.user(named: "mallory")?.roleIDs == [])
                try await client.execute(
                    uri: "/admin/users/\(Self.id(vic))/roles", method: .post, headers: harness.headers(cookie: umaCookie, form: true),
                    body: Harness.body([("role", Self.idString(Role.admin)), ("csrf_token", umaToken)])
                ) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(harness.admin))/password", method: .post,
                    headers: harness.headers(cookie: umaCookie, form: true),
                    body: Harness.body([("password", Self.goodPassword), ("csrf_token", umaToken)])
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("may do things you may not"))
                }
            }
            #expect(try await harness.app.store.user(id: vic.id)?.roleIDs == [Role.viewer.id])
            #expect(try await harness.app.store.auditEvents(AuditQuery(actions: [.passwordChanged, .userChanged])).events.isEmpty)
        }
    }

    @Test func namesHoldingMarkupAreEscapedAndTheNoticeIsNeverTakenFromTheAddress() async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            // The store does not judge names; the page must still escape one that holds markup.
            let odd = User(name: "<script>alert(1)</script>", displayName: "<img src=x onerror=alert(2)>", passwordHash: "unused")
            try await harness.app.store.createUser(odd)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(uri: "/admin/users", method: .get, headers: harness.headers()) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;") || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                    #expect(!page.contains("<script>alert"))
                    #expect(!page.contains("<img src=x"))
                }
                try await client.execute(
                    uri: "/admin/users/\(Self.id(odd))?done=%3Cscript%3Ealert(3)%3C/script%3E", method: .get, headers: harness.headers()
                ) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(!page.contains("<script>alert"))
                    #expect(!page.contains("alert(3)"))
                    #expect(!page.contains("class=\"notice\""))
                }
            }
        }
    }

    @Test(arguments: ["not-a-uuid", UUID().uuidString.lowercased()])
    func anUnknownOrMalformedUserIdAnswers404(id: String) async throws {
        try await WebTestDatabase.with { database in
            let harness = try await Harness(database: database)
            try await Application(router: try await harness.app.router()).test(.router) { client in
                try await client.execute(uri: "/admin/users/\(id)", method: .get, headers: harness.headers()) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body).contains("No such user"))
                }
                try await client.execute(
                    uri: "/admin/users/\(id)/disable", method: .post, headers: harness.headers(form: true),
                    body: Harness.body([("csrf_token", harness.adminFormToken)])
                ) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}
