import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// The header every page shows (`header.mustache` rendering `PageChrome`): links only to what
/// the principal may open, the signed-in name linking to `/account` and the sign-out form, and
/// nothing but the brand for anonymous pages.
@Suite struct PageHeaderTests {
    static let adminLinks = ["href=\"/admin/users\"", "href=\"/admin/roles\"", "href=\"/admin/tokens\"", "href=\"/admin/audit\""]

    /// The `<header>` of a page, so assertions do not see links in the page body.
    static func header(of html: String) -> String {
        guard let start = html.range(of: "<header"), let end = html.range(of: "</header>") else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func page(_ uri: String, cookie: String?, app: AuthTestApp) async throws -> (HTTPResponse.Status, String) {
        try await Application(router: try await app.router()).test(.router) { client in
            let headers: HTTPFields = cookie.map { [.cookie: $0] } ?? [:]
            return try await client.execute(uri: uri, method: .get, headers: headers) { response in
                (response.status, Self.header(of: String(buffer: response.body)))
            }
        }
    }

    @Test func anAdminSeesEveryAdminLinkTheirNameAndTheSignOutForm() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let ada = try await app.makeUser("ada", role: .admin)
            let (status, header) = try await Self.page("/", cookie: try await app.sessionCookie(for: ada), app: app)
            #expect(status == .ok)
            for link in Self.adminLinks { #expect(header.contains(link), "\(link)") }
            #expect(header.contains("href=\"/admin/ingest\""))
            #expect(header.contains("href=\"/search\""))
            #expect(header.contains("id=\"jump-trace\""))
            #expect(header.contains("<a class=\"user-name\" href=\"/account\">ada</a>"))
            #expect(header.contains("action=\"/logout\""))
            #expect(header.firstMatch(of: /name="csrf_token" value="[^"]{16,}"/) != nil)
        }
    }

    @Test func aViewerSeesSearchButNoAdminOrIngestLinks() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let vera = try await app.makeUser("vera", role: .viewer)
            let (status, header) = try await Self.page("/search", cookie: try await app.sessionCookie(for: vera), app: app)
            #expect(status == .ok)
            #expect(header.contains("<a href=\"/search\" aria-current=\"page\">Search</a>"))
            #expect(header.contains("href=\"/\""))
            for link in Self.adminLinks { #expect(!header.contains(link), "\(link)") }
            #expect(!header.contains("Admin"))
            #expect(!header.contains("href=\"/admin/ingest\""))
            #expect(header.contains(">vera</a>"))
            #expect(header.contains("Sign out"))
        }
    }

    @Test func theAdminPageBeingShownIsMarkedCurrent() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let ada = try await app.makeUser("ada", role: .admin)
            let cookie = try await app.sessionCookie(for: ada)
            let (_, tokens) = try await Self.page("/admin/tokens", cookie: cookie, app: app)
            #expect(tokens.contains("<a href=\"/admin/tokens\" aria-current=\"page\">Tokens</a>"))
            #expect(tokens.contains("<a href=\"/admin/audit\">Audit</a>"))
            let (_, audit) = try await Self.page("/admin/audit", cookie: cookie, app: app)
            #expect(audit.contains("<a href=\"/admin/audit\" aria-current=\"page\">Audit</a>"))
            let (_, ingest) = try await Self.page("/admin/ingest", cookie: cookie, app: app)
            #expect(ingest.contains("<a href=\"/admin/ingest\" aria-current=\"page\">Ingest</a>"))
            #expect(ingest.contains(">ada</a>"))
        }
    }

    @Test func theTracePagesErrorPageCarriesTheHeaderToo() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let vera = try await app.makeUser("vera", role: .viewer)
            let (status, header) = try await Self.page("/trace/nothex", cookie: try await app.sessionCookie(for: vera), app: app)
            #expect(status == .badRequest)
            #expect(header.contains(">vera</a>"))
            #expect(header.contains("href=\"/search\""))
        }
    }

    @Test func theLoginPageShowsTheBrandOnly() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let (status, header) = try await Self.page("/login", cookie: nil, app: app)
            #expect(status == .ok)
            #expect(header.contains("class=\"brand\""))
            #expect(!header.contains("<nav"))
            #expect(!header.contains("href=\"/search\""))
            #expect(!header.contains("jump-trace"))
            #expect(!header.contains("Sign out"))
        }
    }

    @Test func aSignedInUsersNameIsEscapedInTheHeader() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("<b>eve</b>", role: .viewer)
            let (_, header) = try await Self.page("/", cookie: try await app.sessionCookie(for: user), app: app)
            #expect(header.contains("&lt;b&gt;eve&lt;/b&gt;"))
            #expect(!header.contains("<b>eve</b>"))
        }
    }

    @Test func anAnonymousChromeShowsNothingAndAReadTokenHasNoSignOut() {
        let anonymous = PageChrome.anonymous
        #expect(anonymous.signedIn == nil)
        #expect(!anonymous.showsSearch && !anonymous.showsIngest && !anonymous.showsAdmin)
        let token = Principal(identity: .apiToken(id: UUID(), name: "grafana", ownerID: UUID()), permissions: [.tracesRead], serviceScope: .unrestricted)
        let chrome = PageChrome(principal: token, signedIn: nil)
        #expect(chrome.showsSearch)
        #expect(!chrome.showsAdmin)
        let auditor = Principal(identity: .user(id: UUID(), name: "al"), permissions: [.auditRead], serviceScope: .none)
        let auditorChrome = PageChrome(principal: auditor, signedIn: nil)
        #expect(auditorChrome.showsAdmin && auditorChrome.showsAudit && !auditorChrome.showsUsers && !auditorChrome.showsSearch)
    }
}
