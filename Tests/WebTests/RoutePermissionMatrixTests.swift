import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// Every registered UI route × {anonymous, viewer, responder, admin}: what the route guard does.
/// A route added without an entry in `RoutePolicy.standard` and a row here fails this suite.
@Suite struct RoutePermissionMatrixTests {
    enum Who: CaseIterable, CustomStringConvertible {
        case anonymous, viewer, responder, admin
        var description: String { "\(self)".self }
    }

    /// What the guard did with a request.
    enum Outcome: Equatable {
        /// Reached the route (whatever the route answered).
        case allowed
        /// Anonymous page request sent to `/login?next=…`.
        case toLogin
        /// Anonymous API request: 401.
        case unauthorized
        /// Signed in without the permission: 403 from the guard.
        case forbidden
    }

    /// The expected outcome of each route (method and pattern) for anonymous, viewer, responder, admin.
    static let expected: [String: [Outcome]] = [
        "GET /login": [.allowed, .allowed, .allowed, .allowed],
        "POST /login": [.allowed, .allowed, .allowed, .allowed],
        "POST /logout": [.allowed, .allowed, .allowed, .allowed],
        "GET /setup/{token}": [.allowed, .allowed, .allowed, .allowed],
        "POST /setup/{token}": [.allowed, .allowed, .allowed, .allowed],
        "GET /healthz": [.allowed, .allowed, .allowed, .allowed],
        "GET /readyz": [.allowed, .allowed, .allowed, .allowed],
        "GET /metrics": [.allowed, .allowed, .allowed, .allowed],
        "GET /": [.toLogin, .allowed, .allowed, .allowed],
        "GET /search": [.toLogin, .allowed, .allowed, .allowed],
        "GET /trace/{traceID}": [.toLogin, .allowed, .allowed, .allowed],
        "GET /admin/ingest": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/tokens": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/tokens": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/tokens/{id}/revoke": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/audit": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/users": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/users/{id}": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users/{id}/roles": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users/{id}/disable": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users/{id}/enable": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users/{id}/password": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/users/{id}/totp/disable": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/roles": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/roles": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /admin/roles/{id}": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/roles/{id}": [.toLogin, .forbidden, .forbidden, .allowed],
        "POST /admin/roles/{id}/delete": [.toLogin, .forbidden, .forbidden, .allowed],
        "GET /account": [.toLogin, .allowed, .allowed, .allowed],
        "POST /account/password": [.toLogin, .allowed, .allowed, .allowed],
        "POST /account/totp": [.toLogin, .allowed, .allowed, .allowed],
        "POST /account/totp/confirm": [.toLogin, .allowed, .allowed, .allowed],
        "POST /account/totp/disable": [.toLogin, .allowed, .allowed, .allowed],
        "GET /api/services": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/services/{service}/operations": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/operations": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/traces": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/traces/{traceId}": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/dependencies": [.unauthorized, .allowed, .allowed, .allowed],
        "GET /api/v3/traces/{traceId}": [.unauthorized, .allowed, .allowed, .allowed],
    ]

    /// A concrete path for a pattern: each `{parameter}` filled with a plausible value.
    static func samplePath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix("{") else { return String(segment) }
            switch segment {
            case "{traceID}", "{traceId}": return "0af7651916cd43dd8448eb211c80319c"
            case "{service}": return "checkout"
            default: return "sample"
            }
        }.joined(separator: "/")
    }

    static func outcome(of response: TestResponse) -> Outcome {
        let body = String(buffer: response.body)
        if response.status == .found, response.headers[.location]?.hasPrefix("/login") == true { return .toLogin }
        if response.status == .unauthorized, body.contains("Sign in or send an API read token") { return .unauthorized }
        if response.status == .forbidden, body.contains("does not allow") { return .forbidden }
        return .allowed
    }

    @Test func everyRegisteredRouteHasAPolicyEntryAndAnExpectedRow() async throws {
        try await WebTestDatabase.with { database in
            let router = try await AuthTestApp(database: database).router()
            let routes = router.routes.map { "\($0.method) \($0.path)" }
            #expect(RoutePolicy.standard.unguarded(router.routes.map { $0.path.description }).isEmpty)
            #expect(Set(routes) == Set(Self.expected.keys), "routes without a row: \(Set(routes).subtracting(Self.expected.keys))")
        }
    }

    @Test func eachRoleGetsWhatTheTableSaysOnEveryRoute() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let cookies: [Who: String] = [
                .viewer: try await app.sessionCookie(for: app.makeUser("vera", role: .viewer)),
                .responder: try await app.sessionCookie(for: app.makeUser("rolf", role: .responder)),
                .admin: try await app.sessionCookie(for: app.makeUser("ada", role: .admin)),
            ]
            let router = try await app.router()
            let routes = router.routes.map { (method: $0.method, pattern: $0.path.description) }
            try await Application(router: router).test(.router) { client in
                for route in routes {
                    let key = "\(route.method) \(route.pattern)"
                    guard let row = Self.expected[key] else {
                        Issue.record("no expected row for \(key)")
                        continue
                    }
                    for (index, who) in Who.allCases.enumerated() {
                        var headers: HTTPFields = [:]
                        if let cookie = cookies[who] { headers[.cookie] = cookie }
                        let outcome = try await client.execute(
                            uri: Self.samplePath(route.pattern), method: route.method, headers: headers
                        ) { Self.outcome(of: $0) }
                        #expect(outcome == row[index], "\(key) as \(who)")
                    }
                }
            }
        }
    }

    @Test func anUnknownPathSendsAnonymousVisitorsToLoginAndGivesSignedInOnes404() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let cookie = try await app.sessionCookie(for: app.makeUser("vera", role: .viewer))
            try await Application(router: try await app.router()).test(.router) { client in
                try await client.execute(uri: "/no/such/page", method: .get) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location] == "/login?next=/no/such/page")
                }
                try await client.execute(uri: "/no/such/page", method: .get, headers: [.cookie: cookie]) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func theLoginRedirectKeepsPathAndQueryButNeverAForeignTarget() {
        #expect(RoutePolicy.standard.access(forPath: "/static/skein.css") == .public)
        #expect(RoutePolicy.standard.access(forPath: "/trace/abc") == .requires(.tracesRead))
        #expect(RoutePolicy.standard.access(forPath: "/trace/abc/def") == nil)
        #expect(RoutePolicy.standard.access(forPath: "/static") == nil)
    }
}
