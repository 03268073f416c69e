import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
@testable import Web

/// The one-time first-admin link over a real account store.
@Suite struct FirstAdminSetupTests {
    static let password = "a long and unusual passphrase"

    static func setupForm(_ client: some TestClientProtocol, path: String) async throws -> (cookie: String, token: String) {
        try await client.execute(uri: path, method: .get) { response in
            #expect(response.status == .ok)
            let preSession = try #require(response.headers.setCookieValue("skein_csrf"))
            let html = String(buffer: response.body)
            let start = try #require(html.range(of: "name=\"csrf_token\" value=\"")).upperBound
            return ("skein_csrf=\(preSession)", String(html[start...].prefix { $0 != "\"" }))
        }
    }

    static func post(
        _ client: some TestClientProtocol, path: String, form: (cookie: String, token: String), password: String, confirmation: String
    ) async throws -> TestResponse {
        let body = "username=ada&display_name=Ada&password=\(LoginForm.percentEncoded(password))"
            + "&confirmation=\(LoginForm.percentEncoded(confirmation))&csrf_token=\(form.token)"
        return try await client.execute(
            uri: path, method: .post, headers: [.cookie: form.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)) { $0 }
    }

    @Test func theLinkCreatesOneAdminSignsThemInAndWorksOnlyOnce() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let path = try #require(try await FirstAdminSetup.prepare(store: app.store, hasher: app.hasher))
            #expect(path.hasPrefix("/setup/skein_setup_"))
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.setupForm(client, path: path)
                let weak = try await Self.post(client, path: path, form: form, password: "short", confirmation: "short")
                #expect(weak.status == .badRequest)
                let differ = try await Self.post(client, path: path, form: form, password: Self.password, confirmation: Self.password + "x")
                #expect(differ.status == .badRequest)
                let created = try await Self.post(client, path: path, form: form, password: Self.password, confirmation: Self.password)
                #expect(created.status == .seeOther)
                let secret = try #require(created.headers.setCookieValue("skein_session"))
                try await client.execute(uri: "/admin/ingest", method: .get, headers: [.cookie: "skein_session=\(secret)"]) { response in
                    #expect(response.status == .ok)
                }
                let again = try await Self.post(client, path: path, form: form, password: Self.password, confirmation: Self.password)
                #expect(again.status == .gone)
            }
            let users = try await app.store.users()
            #expect(users.map(\.name) == ["ada"])
            #expect(users.first?.roleIDs == [Role.admin.id])
            let actions = try await app.store.auditEvents(AuditQuery()).events.map(\.action)
            #expect(actions == [.setupCompleted, .userCreated])
            #expect(try await FirstAdminSetup.prepare(store: app.store, hasher: app.hasher) == nil)
        }
    }

    @Test func aMadeUpTokenCreatesNobody() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            _ = try await FirstAdminSetup.prepare(store: app.store, hasher: app.hasher)
            let path = "/setup/skein_setup_guessed"
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.setupForm(client, path: path)
                let response = try await Self.post(client, path: path, form: form, password: Self.password, confirmation: Self.password)
                #expect(response.status == .gone)
            }
            #expect(try await app.store.userCount() == 0)
        }
    }
}
