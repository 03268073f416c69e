import Accounts
import Foundation
import Logging
import PostgresNIO
import Storage
import Testing

/// The PostgreSQL account store against a real, freshly migrated database.
@Suite("PostgreSQL account store")
struct AccountStoreTests {
    /// Whole seconds: timestamptz keeps microseconds, and the round trips compare exactly.
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func withStore(_ body: (PostgresAccountStore, TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with(migrated: true) { database in
            let store = PostgresAccountStore(client: database.client, logger: database.logger)
            try await store.seedBuiltInRoles()
            try await body(store, database)
        }
    }

    private func makeUser(_ store: PostgresAccountStore, name: String = "ada", roles: Set<UUID> = [Role.viewer.id]) async throws -> User {
        let user = User(name: name, displayName: "Ada Lovelace", passwordHash: "$2b$04$hash", roleIDs: roles, createdAt: start)
        try await store.createUser(user)
        return user
    }

    // MARK: Roles and users

    @Test("The built-in roles are seeded once, with their permissions, and cannot be changed")
    func builtInRoles() async throws {
        try await withStore { store, _ in
            try await store.seedBuiltInRoles()
            let roles = try await store.roles()
            #expect(roles == Role.builtIns)
            var changed = Role.viewer
            changed.permissions.insert(.usersManage)
            await #expect(throws: AccountStoreError.builtInRole("viewer")) { _ = try await store.updateRole(changed) }
            await #expect(throws: AccountStoreError.builtInRole("admin")) { _ = try await store.deleteRole(id: Role.admin.id) }
        }
    }

    @Test("Seeding puts a built-in role that drifted in the database back as the code defines it")
    func reseed() async throws {
        try await withStore { store, database in
            try await database.client.query("UPDATE roles SET permissions = '{users.manage}', service_patterns = '{x}' WHERE name = 'viewer'")
            #expect(try await store.role(id: Role.viewer.id)?.permissions == [.usersManage])
            try await store.seedBuiltInRoles()
            #expect(try await store.role(id: Role.viewer.id) == Role.viewer)
        }
    }

    @Test("A custom role with a service scope round-trips, changes and is deleted")
    func customRoles() async throws {
        try await withStore { store, _ in
            var role = Role(name: "checkout team", permissions: [.tracesRead, .alertsManage], serviceScope: .services(["checkout-*", "payments"]))
            try await store.createRole(role)
            #expect(try await store.role(id: role.id) == role)

            role.serviceScope = .services(["checkout-*"])
            role.permissions = [.tracesRead]
            #expect(try await store.updateRole(role))
            #expect(try await store.role(id: role.id) == role)
            await #expect(throws: AccountStoreError.nameTaken("VIEWER")) {
                try await store.createRole(Role(name: "VIEWER", permissions: []))
            }

            let user = try await makeUser(store, roles: [role.id, Role.viewer.id])
            #expect(try await store.deleteRole(id: role.id))
            #expect(try await store.role(id: role.id) == nil)
            #expect(try await store.user(id: user.id)?.roleIDs == [Role.viewer.id])
            #expect(try await !store.deleteRole(id: role.id))
        }
    }

    @Test("A user round-trips with roles; names are unique without regard to case")
    func users() async throws {
        try await withStore { store, _ in
            #expect(try await store.userCount() == 0)
            let user = try await makeUser(store, roles: [Role.viewer.id, Role.responder.id])
            #expect(try await store.user(id: user.id) == user)
            #expect(try await store.user(named: "ADA") == user)
            #expect(try await store.user(named: "grace") == nil)
            #expect(try await store.userCount() == 1)

            await #expect(throws: AccountStoreError.nameTaken("Ada")) {
                try await store.createUser(User(name: "Ada", displayName: "Other", passwordHash: "x"))
            }
            await #expect(throws: AccountStoreError.unknownRole) {
                try await store.createUser(User(name: "grace", displayName: "Grace", passwordHash: "x", roleIDs: [UUID()]))
            }
            // The failed creation left nothing behind.
            #expect(try await store.users().map(\.name) == ["ada"])
        }
    }

    @Test("A user's password, display name, roles, disabled flag and TOTP secret change")
    func userChanges() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            #expect(try await store.setPasswordHash("$2b$04$new", userID: user.id))
            #expect(try await store.setDisplayName("Countess", userID: user.id))
            #expect(try await store.setRoles([Role.admin.id], userID: user.id))
            #expect(try await store.setDisabled(true, userID: user.id))
            #expect(try await store.setTOTPSecret("GEZDGNBVGY3TQOJQ", userID: user.id))
            let changed = try #require(try await store.user(id: user.id))
            #expect(changed.passwordHash == "$2b$04$new")
            #expect(changed.displayName == "Countess")
            #expect(changed.roleIDs == [Role.admin.id])
            #expect(changed.isDisabled)
            #expect(changed.totpSecret == "GEZDGNBVGY3TQOJQ")

            #expect(try await store.setRoles([], userID: user.id))
            #expect(try await store.user(id: user.id)?.roleIDs == [])
            await #expect(throws: AccountStoreError.unknownRole) { _ = try await store.setRoles([UUID()], userID: user.id) }
            #expect(try await !store.setDisabled(true, userID: UUID()))
            #expect(try await !store.setRoles([Role.viewer.id], userID: UUID()))
        }
    }

    @Test("A TOTP step is accepted once; replays and older steps are refused")
    func totpReplay() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            _ = try await store.setTOTPSecret("GEZDGNBVGY3TQOJQ", userID: user.id)
            #expect(try await store.useTOTPStep(100, userID: user.id))
            #expect(try await !store.useTOTPStep(100, userID: user.id))
            #expect(try await !store.useTOTPStep(99, userID: user.id))
            #expect(try await store.useTOTPStep(101, userID: user.id))
            // A new secret starts afresh.
            _ = try await store.setTOTPSecret("MZXW6YTBOI", userID: user.id)
            #expect(try await store.useTOTPStep(50, userID: user.id))
        }
    }

    @Test("The principal of a stored user has the union of their roles")
    func principal() async throws {
        try await withStore { store, _ in
            let scoped = Role(name: "orders", permissions: [.alertsManage], serviceScope: .services(["orders"]))
            try await store.createRole(scoped)
            let user = try await makeUser(store, roles: [scoped.id])
            let principal = try #require(try await store.principal(userID: user.id))
            #expect(principal.permissions == [.alertsManage])
            #expect(principal.allows(service: "orders"))
            #expect(!principal.allows(service: "billing"))
            #expect(try await store.principal(userID: UUID()) == nil)
        }
    }

    // MARK: Sessions

    @Test("A session is found by its hash, touched forward only, and deleted")
    func sessions() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            let secret = SecretToken.generate(.session)
            let session = Session(idHash: secret.hash, userID: user.id, createdAt: start)
            try await store.createSession(session)
            #expect(try await store.session(idHash: SecretToken.hash(secret.value)) == session)
            #expect(try await store.session(idHash: SecretToken.generate(.session).hash) == nil)

            #expect(try await store.touchSession(idHash: secret.hash, at: start.addingTimeInterval(600)))
            #expect(try await store.touchSession(idHash: secret.hash, at: start.addingTimeInterval(60)))
            #expect(try await store.session(idHash: secret.hash)?.lastSeenAt == start.addingTimeInterval(600))

            #expect(try await store.deleteSession(idHash: secret.hash))
            #expect(try await store.session(idHash: secret.hash) == nil)
            #expect(try await !store.touchSession(idHash: secret.hash, at: start))
        }
    }

    @Test("Signing out everywhere ends all of one user's sessions and no one else's")
    func deleteAllForUser() async throws {
        try await withStore { store, _ in
            let ada = try await makeUser(store, name: "ada")
            let grace = try await makeUser(store, name: "grace")
            for _ in 0..<3 { try await store.createSession(Session(idHash: SecretToken.generate(.session).hash, userID: ada.id, createdAt: start)) }
            let graces = Session(idHash: SecretToken.generate(.session).hash, userID: grace.id, createdAt: start)
            try await store.createSession(graces)
            #expect(try await store.deleteSessions(userID: ada.id) == 3)
            #expect(try await store.deleteSessions(userID: ada.id) == 0)
            #expect(try await store.session(idHash: graces.idHash) != nil)
        }
    }

    @Test("Expired sessions, idle or too old, are removed and live ones kept")
    func expiry() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            let now = start.addingTimeInterval(13 * 3_600)
            let idle = Session(idHash: [1], userID: user.id, createdAt: now.addingTimeInterval(-3_600), lastSeenAt: now.addingTimeInterval(-1_800))
            let old = Session(idHash: [2], userID: user.id, createdAt: now.addingTimeInterval(-12 * 3_600), lastSeenAt: now.addingTimeInterval(-10))
            let live = Session(idHash: [3], userID: user.id, createdAt: now.addingTimeInterval(-3_600), lastSeenAt: now.addingTimeInterval(-1_799))
            for session in [idle, old, live] {
                try await store.createSession(session)
                #expect(SessionPolicy.standard.isExpired(session, at: now) == (session != live))
            }
            #expect(try await store.deleteExpiredSessions(policy: .standard, now: now) == 2)
            #expect(try await store.session(idHash: [3]) == live)
            #expect(try await store.session(idHash: [1]) == nil)
        }
    }

    // MARK: API and setup tokens

    @Test("An API token is found by its secret's hash, used, listed and revoked once")
    func apiTokens() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store, roles: [Role.admin.id])
            let secret = SecretToken.generate(.read)
            let token = APIToken(name: "grafana", kind: .read, ownerUserID: user.id, scope: .services(["checkout-*"]),
                                 createdAt: start, expiresAt: start.addingTimeInterval(86_400))
            try await store.createAPIToken(token, secretHash: secret.hash)
            let ingest = APIToken(name: "collector", kind: .ingest, ownerUserID: user.id, createdAt: start.addingTimeInterval(1))
            try await store.createAPIToken(ingest, secretHash: SecretToken.generate(.ingest).hash)

            #expect(try await store.apiToken(secretHash: SecretToken.hash(secret.value)) == token)
            #expect(try await store.apiToken(secretHash: SecretToken.hash(secret.value + "x")) == nil)
            #expect(try await store.apiToken(id: ingest.id) == ingest)
            #expect(try await store.apiTokens(ownerUserID: user.id).map(\.name) == ["grafana", "collector"])
            #expect(try await store.apiTokens(ownerUserID: UUID()).isEmpty)

            #expect(try await store.touchAPIToken(id: token.id, at: start.addingTimeInterval(30)))
            #expect(try await store.touchAPIToken(id: token.id, at: start.addingTimeInterval(10)))
            #expect(try await store.apiToken(id: token.id)?.lastUsedAt == start.addingTimeInterval(30))

            let (principal, _) = try #require(try await store.principal(apiTokenSecret: secret.value, now: start))
            #expect(principal.can(.tracesRead))
            #expect(principal.allows(service: "checkout-api"))
            #expect(!principal.allows(service: "billing"))

            #expect(try await store.revokeAPIToken(id: token.id, at: start.addingTimeInterval(60)))
            #expect(try await !store.revokeAPIToken(id: token.id, at: start.addingTimeInterval(120)))
            let revoked = try #require(try await store.apiToken(id: token.id))
            #expect(revoked.revokedAt == start.addingTimeInterval(60))
            #expect(!revoked.isUsable(at: start.addingTimeInterval(61)))
            let (afterRevoke, _) = try #require(try await store.principal(apiTokenSecret: secret.value, now: start.addingTimeInterval(61)))
            #expect(afterRevoke.permissions.isEmpty)
        }
    }

    @Test("An API token stops being usable when it expires")
    func tokenExpiry() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            let secret = SecretToken.generate(.read)
            try await store.createAPIToken(
                APIToken(name: "short", kind: .read, ownerUserID: user.id, createdAt: start, expiresAt: start.addingTimeInterval(60)),
                secretHash: secret.hash
            )
            let token = try #require(try await store.apiToken(secretHash: secret.hash))
            #expect(token.isUsable(at: start.addingTimeInterval(59)))
            #expect(!token.isUsable(at: start.addingTimeInterval(60)))
        }
    }

    @Test("A setup token works exactly once and not after it expires")
    func setupTokens() async throws {
        try await withStore { store, _ in
            let first = SecretToken.generate(.setup)
            try await store.createSetupToken(secretHash: first.hash, createdAt: start, expiresAt: start.addingTimeInterval(3_600))
            #expect(try await !store.consumeSetupToken(secretHash: SecretToken.generate(.setup).hash, at: start))
            #expect(try await store.consumeSetupToken(secretHash: first.hash, at: start.addingTimeInterval(10)))
            #expect(try await !store.consumeSetupToken(secretHash: first.hash, at: start.addingTimeInterval(11)))

            let late = SecretToken.generate(.setup)
            try await store.createSetupToken(secretHash: late.hash, createdAt: start, expiresAt: start.addingTimeInterval(3_600))
            #expect(try await !store.consumeSetupToken(secretHash: late.hash, at: start.addingTimeInterval(3_600)))
        }
    }

    @Test("Of many concurrent uses of one setup token exactly one succeeds")
    func setupTokenRace() async throws {
        try await withStore { store, _ in
            let token = SecretToken.generate(.setup)
            try await store.createSetupToken(secretHash: token.hash, createdAt: start, expiresAt: start.addingTimeInterval(3_600))
            let successes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.consumeSetupToken(secretHash: token.hash, at: self.start.addingTimeInterval(1)) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(successes == 1)
        }
    }

    @Test("Of many concurrent uses of one TOTP step exactly one succeeds")
    func totpStepRace() async throws {
        try await withStore { store, _ in
            let user = try await makeUser(store)
            _ = try await store.setTOTPSecret("GEZDGNBVGY3TQOJQ", userID: user.id)
            let successes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.useTOTPStep(1_000, userID: user.id) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(successes == 1)
        }
    }

    // MARK: Audit log

    @Test("Audit entries are appended, read back exactly and filtered by user, action and time")
    func auditQuery() async throws {
        try await withStore { store, _ in
            let ada = UUID(), grace = UUID()
            let forged = AuditEvent(time: start, actorUserID: nil, actorName: "eve\nlogin.succeeded admin", action: .loginFailed, clientAddress: "198.51.100.7")
            let firstID = try await store.appendAudit(forged)
            for minute in 1...10 {
                try await store.appendAudit(AuditEvent(
                    time: start.addingTimeInterval(Double(minute) * 60), actorUserID: minute.isMultiple(of: 2) ? ada : grace,
                    actorName: minute.isMultiple(of: 2) ? "ada" : "grace", action: minute <= 5 ? .traceViewed : .searchRun,
                    target: "trace \(minute)", before: "{\"n\":\(minute - 1)}", after: "{\"n\":\(minute)}"
                ))
            }

            let all = try await store.auditEvents(AuditQuery(limit: 100))
            #expect(all.events.count == 11)
            #expect(all.nextCursor == nil)
            let oldest = try #require(all.events.last)
            #expect(oldest.id == firstID)
            #expect(oldest.actorName == "eve\\nlogin.succeeded admin")
            #expect(oldest.action == .loginFailed)
            #expect(oldest.clientAddress == "198.51.100.7")
            #expect(oldest.time == start)
            #expect(all.events.first?.target == "trace 10")
            #expect(all.events.first?.after == "{\"n\":10}")

            let adas = try await store.auditEvents(AuditQuery(actorUserID: ada, limit: 100))
            #expect(adas.events.map(\.target) == ["trace 10", "trace 8", "trace 6", "trace 4", "trace 2"])
            let searches = try await store.auditEvents(AuditQuery(actions: [.searchRun], limit: 100))
            #expect(searches.events.count == 5)
            let window = try await store.auditEvents(AuditQuery(
                actions: [.traceViewed, .loginFailed], from: start.addingTimeInterval(120), until: start.addingTimeInterval(300), limit: 100
            ))
            #expect(window.events.map(\.target) == ["trace 4", "trace 3", "trace 2"])
        }
    }

    @Test("An audit event with raw control characters is refused, not stored")
    func unsanitisedEventRefused() async throws {
        try await withStore { store, _ in
            let smuggled = AuditEvent.restored(
                id: 0, time: start, actorUserID: nil, actorName: "eve\nlogin.succeeded admin", action: .loginSucceeded,
                target: nil, before: nil, after: nil, clientAddress: nil
            )
            await #expect(throws: AccountStoreError.unsanitisedAuditEvent) { try await store.appendAudit(smuggled) }
            let stored = try await store.auditEvents(AuditQuery())
            #expect(stored.events.isEmpty)
        }
    }

    @Test("Audit pages follow each other without gaps or repeats")
    func auditPaging() async throws {
        try await withStore { store, _ in
            for number in 0..<7 {
                try await store.appendAudit(AuditEvent(time: start, actorUserID: nil, actorName: "ada", action: .searchRun, target: "\(number)"))
            }
            var seen: [String] = []
            var cursor: Int64?
            var pages = 0
            repeat {
                let page = try await store.auditEvents(AuditQuery(before: cursor, limit: 3))
                seen += page.events.compactMap(\.target)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == ["6", "5", "4", "3", "2", "1", "0"])
        }
    }

    @Test("The audit log refuses UPDATE, DELETE and TRUNCATE, even from the role that owns it", arguments: [
        "UPDATE audit_log SET actor_name = 'someone else'",
        "UPDATE audit_log SET actor_name = 'x' WHERE id = -1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = -1",
        "TRUNCATE audit_log",
    ])
    func appendOnly(statement: String) async throws {
        try await withStore { store, database in
            try await store.appendAudit(AuditEvent(time: start, actorUserID: nil, actorName: "ada", action: .logout))
            let error = await #expect(throws: PSQLError.self) {
                try await database.client.query(PostgresQuery(unsafeSQL: statement), logger: database.logger)
            }
            #expect(error?.serverInfo?[.sqlState] == "42501")
            #expect(error?.serverInfo?[.message]?.contains("append-only") == true)
            let page = try await store.auditEvents(AuditQuery())
            #expect(page.events.map(\.actorName) == ["ada"])
        }
    }
}
