import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
@testable import Web

/// `/admin/tokens` against the PostgreSQL account store: a created token's secret is on the answer
/// to the create request only, revoking stops it, both are audited, forms need the session's
/// token and the page needs `tokens.manage`.
@Suite struct AdminTokensPageTests {
    static let csrf = CSRFToken(sessionSecret: Array(repeating: UInt8(7), count: 32))
    static var formToken: String { csrf.token(for: AdminTokensController<BasicRequestContext>.formPurpose) }

    static func application(_ database: AdminTestDatabase, as user: User) async throws -> some ApplicationProtocol {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let principal = database.principal(user)
        let router = Router()
        AdminTokensController<BasicRequestContext>(
            store: database.store, templates: templates,
            access: AdminAccess(principal: { _ in principal }, csrf: { _ in csrf }, clientAddress: { _ in "192.0.2.1" }),
            logger: Logger(label: "test")
        ).addRoutes(to: router)
        return Application(router: router)
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func secret(in html: String) -> String? {
        html.firstMatch(of: /skein_(ing|read)_[A-Za-z0-9_-]{20,}/).map { String($0.output.0) }
    }

    @Test func aCreatedTokenShowsItsSecretOnceAndWorksForIngest() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                let created = try await client.execute(
                    uri: "/admin/tokens", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=edge+collector&kind=ingest&expires_in_days=30&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    return String(buffer: response.body)
                }
                let secret = try #require(Self.secret(in: created))
                #expect(secret.hasPrefix("skein_ing_"))
                let token = try #require(try await database.store.apiToken(secretHash: SecretToken.hash(secret)))
                #expect(token.name == "edge collector")
                #expect(token.ownerUserID == database.admin.id)
                #expect(token.expiresAt != nil)
                #expect(token.acceptsIngest(at: Date(), owner: database.admin))

                try await client.execute(uri: "/admin/tokens", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("edge collector"))
                    #expect(page.contains("ada"))
                    #expect(!page.contains(secret))
                    #expect(Self.secret(in: page) == nil)
                }
            }
            let audit = try await database.store.auditEvents(AuditQuery(actions: [.tokenCreated]))
            #expect(audit.events.map(\.target) == ["edge collector"])
            #expect(audit.events.first?.actorName == "ada")
            #expect(audit.events.first?.clientAddress == "192.0.2.1")
            #expect(audit.events.allSatisfy { !($0.after ?? "").contains("skein_ing_") })
        }
    }

    @Test func aReadTokenKeepsItsServicePatterns() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/admin/tokens", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=grafana&kind=read&services=checkout-*%2C+cart&expires_in_days=&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .ok)
                    #expect(Self.secret(in: String(buffer: response.body))?.hasPrefix("skein_read_") == true)
                }
            }
            let token = try #require(try await database.store.apiTokens(ownerUserID: database.admin.id).first)
            #expect(token.kind == .read)
            #expect(token.scope == .services(["checkout-*", "cart"]))
            #expect(token.expiresAt == nil)
        }
    }

    @Test func revokingATokenStopsItAndIsAudited() async throws {
        try await AdminTestDatabase.with { database in
            let secret = SecretToken.generate(.ingest)
            let token = APIToken(name: "old-agent", kind: .ingest, ownerUserID: database.admin.id)
            try await database.store.createAPIToken(token, secretHash: secret.hash)
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                let path = "/admin/tokens/\(token.id.uuidString.lowercased())/revoke"
                try await client.execute(
                    uri: path, method: .post, headers: Self.form, body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/admin/tokens")
                }
                try await client.execute(
                    uri: path, method: .post, headers: Self.form, body: ByteBuffer(string: "csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .notFound)
                }
            }
            let stored = try #require(try await database.store.apiToken(id: token.id))
            #expect(stored.revokedAt != nil)
            #expect(!stored.acceptsIngest(at: Date(), owner: database.admin))
            let audit = try await database.store.auditEvents(AuditQuery(actions: [.tokenRevoked]))
            #expect(audit.events.map(\.target) == ["old-agent"])
        }
    }

    @Test(arguments: ["", "csrf_token=forged", "csrf_token=\(CSRFToken(sessionSecret: [UInt8](repeating: 8, count: 32)).token(for: "admin.tokens"))"])
    func formsWithoutTheSessionsTokenAreRefusedAndChangeNothing(csrfField: String) async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/admin/tokens", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=x&kind=ingest&\(csrfField)")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await database.store.apiTokens(ownerUserID: nil).isEmpty)
        }
    }

    @Test(arguments: ["name=&kind=ingest", "name=x&kind=admin", "name=x&kind=ingest&expires_in_days=10000", "name=a%0Ab&kind=ingest"])
    func anUnusableFormIsShownAgainWithItsProblemAndCreatesNothing(fields: String) async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/admin/tokens", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "\(fields)&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("class=\"problem\""))
                    #expect(Self.secret(in: String(buffer: response.body)) == nil)
                }
            }
            #expect(try await database.store.apiTokens(ownerUserID: nil).isEmpty)
        }
    }

    @Test func someoneWithoutTokensManageCannotListOrCreate() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.viewer)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/tokens", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/admin/tokens", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "name=x&kind=ingest&csrf_token=\(Self.formToken)")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await database.store.apiTokens(ownerUserID: nil).isEmpty)
        }
    }

    @Test func tokenNamesAreEscapedOnThePage() async throws {
        try await AdminTestDatabase.with { database in
            let token = APIToken(name: "<script>alert(1)</script>", kind: .ingest, ownerUserID: database.admin.id)
            try await database.store.createAPIToken(token, secretHash: SecretToken.generate(.ingest).hash)
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/tokens", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(!page.contains("<script>alert(1)"))
                    #expect(page.contains("&lt;script&gt;"))
                }
            }
        }
    }
}
