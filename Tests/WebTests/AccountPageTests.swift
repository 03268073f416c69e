import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Synchronization
import Testing
@testable import Web

/// `/account` over a real account store: changing one's own password, setting up and turning off
/// two-step sign-in, and signing in with it, on a clock the tests move.
@Suite struct AccountPageTests {
    static let password = "correct horse battery staple"
    static let newPassword = "mossy granite kettle drum"
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// A clock the tests set: sign-in, sessions and TOTP all read it.
    final class TestClock: Sendable {
        private let time: Mutex<Date>
        init(_ start: Date) { time = Mutex(start) }
        var now: Date { time.withLock { $0 } }
        func advance(by interval: TimeInterval) { time.withLock { $0 += interval } }
    }

    /// The sign-in and account routes with `clock` (behind the same authenticator and guard as
    /// `Routers.ui`).
    static func router(_ app: AuthTestApp, clock: TestClock) async throws -> Router<SkeinRequestContext> {
        let templates = try await PagesController<SkeinRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let cookie = SessionCookie(servesTLS: false)
        let now: @Sendable () -> Date = { clock.now }
        let signIn = SignIn(store: app.store, hasher: app.hasher, throttle: app.throttle, now: now)
        let router = Router(context: SkeinRequestContext.self)
        router.middlewares.add(SessionAuthenticator(store: app.store, cookie: cookie, now: now))
        router.middlewares.add(RouteGuard(policy: .standard))
        LoginController(store: app.store, signIn: signIn, templates: templates, cookie: cookie).addRoutes(to: router)
        AccountController(
            store: app.store, signIn: signIn, hasher: app.hasher, throttle: app.throttle, templates: templates, cookie: cookie,
            logger: app.logger, now: now
        ).addRoutes(to: router)
        return router
    }

    /// The `Cookie` header and the account forms' token of a fresh session of `user`.
    static func session(_ app: AuthTestApp, for user: User) async throws -> (cookie: String, token: String) {
        let opened = try await app.signIn.openSession(for: user)
        let token = CSRFToken(sessionSecret: Data(opened.secret.utf8)).token(for: AccountController.formPurpose)
        return ("skein_session=\(opened.secret)", token)
    }

    static func post(
        _ client: some TestClientProtocol, _ path: String, cookie: String, fields: [(String, String)]
    ) async throws -> TestResponse {
        let body = fields.map { "\($0.0)=\(LoginForm.percentEncoded($0.1))" }.joined(separator: "&")
        var headers = form
        headers[.cookie] = cookie
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, cookie: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) { $0 }
    }

    /// The text of the element with `id` (up to the next tag).
    static func text(ofID id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\">")?.upperBound else { return nil }
        return String(html[start...].prefix { $0 != "<" })
    }

    /// Signs in through `/login`, with `code` when given; the response.
    static func signIn(
        _ client: some TestClientProtocol, name: String, password: String, code: String? = nil
    ) async throws -> TestResponse {
        try await SignInTests.post(client, username: name, password: password, code: code, form: try await SignInTests.loginForm(client))
    }

    @Test func theAccountPageShowsWhoIsSignedInAndTheForms() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = User(
                name: "vera", displayName: "<b>Vera</b>", passwordHash: await app.hasher.hash(Self.password), roleIDs: [Role.responder.id])
            try await app.store.createUser(user)
            let session = try await Self.session(app, for: user)
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                let response = try await Self.get(client, "/account", cookie: session.cookie)
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(Self.text(ofID: "account-name", in: html) == "vera")
                #expect(html.contains("&lt;b&gt;Vera&lt;/b&gt;"))
                #expect(!html.contains("<b>Vera</b>"))
                #expect(html.contains("responder"))
                #expect(Self.text(ofID: "account-two-step", in: html) == "off")
                #expect(html.contains("id=\"account-password\""))
                #expect(html.contains("id=\"current-password\"") && html.contains("id=\"new-password\""))
                #expect(html.contains("id=\"totp-start\""))
                #expect(!html.contains("id=\"totp-disable\""))
                #expect(html.contains("ask an administrator"))
                #expect(html.contains("value=\"\(session.token)\""))
            }
        }
    }

    @Test func aWrongCurrentPasswordIsRefusedAndCountsLikeAFailedSignIn() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let session = try await Self.session(app, for: user)
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                for _ in 0..<LoginThrottle.Policy.standard.failuresPerAccount {
                    let response = try await Self.post(client, "/account/password", cookie: session.cookie, fields: [
                        ("csrf_token", session.token), ("current_password", "not my password at all"), ("new_password", Self.newPassword),
                    ])
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains(AccountController.wrongCurrentPassword))
                }
                #expect(app.throttle.check(account: "vera", address: "unknown") != .allowed)
                // Locked now: even the right password gets the same answer and changes nothing.
                let locked = try await Self.post(client, "/account/password", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("current_password", Self.password), ("new_password", Self.newPassword),
                ])
                #expect(locked.status == .badRequest)
                #expect(String(buffer: locked.body).contains(AccountController.wrongCurrentPassword))
            }
            let stored = try #require(try await app.store.user(id: user.id))
            #expect(await app.hasher.verify(Self.password, against: stored.passwordHash))
            #expect(try await app.store.auditEvents(AuditQuery(actions: [.passwordChanged])).events.isEmpty)
        }
    }

    @Test func aWeakNewPasswordIsRefusedWithThePolicyProblem() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let session = try await Self.session(app, for: user)
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                for (weak, problem) in [("short", PasswordPolicy.Problem.tooShort(minimum: 12)), ("password1234!", .common)] {
                    let response = try await Self.post(client, "/account/password", cookie: session.cookie, fields: [
                        ("csrf_token", session.token), ("current_password", Self.password), ("new_password", weak),
                    ])
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains(problem.description))
                }
            }
            let stored = try #require(try await app.store.user(id: user.id))
            #expect(await app.hasher.verify(Self.password, against: stored.passwordHash))
            #expect(try await app.store.session(idHash: SecretToken.hash(String(session.cookie.dropFirst("skein_session=".count)))) != nil)
        }
    }

    @Test func changingThePasswordEndsEverySessionAndSignsThisBrowserInAgain() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let session = try await Self.session(app, for: user)
            let otherBrowser = try await app.sessionCookie(for: user)
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                let response = try await Self.post(client, "/account/password", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("current_password", Self.password), ("new_password", Self.newPassword),
                ])
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/account?done=password")
                let fresh = try #require(response.headers.setCookieValue("skein_session"))
                #expect("skein_session=\(fresh)" != session.cookie)
                let setCookie = try #require(response.headers.setCookies.first { $0.hasPrefix("skein_session=") })
                #expect(setCookie.contains("HttpOnly"))

                #expect(try await Self.get(client, "/account", cookie: session.cookie).status == .found)
                #expect(try await Self.get(client, "/account", cookie: otherBrowser).status == .found)
                let page = try await Self.get(client, "/account?done=password", cookie: "skein_session=\(fresh)")
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("Your password was changed."))

                #expect(try await Self.signIn(client, name: "vera", password: Self.password).status == .unauthorized)
                #expect(try await Self.signIn(client, name: "vera", password: Self.newPassword).status == .seeOther)
            }
            let audit = try await app.store.auditEvents(AuditQuery(actions: [.passwordChanged])).events
            #expect(audit.map(\.actorName) == ["vera"])
            #expect(audit.first?.after?.contains("\"sessionsEnded\":\"2\"") == true)
        }
    }

    @Test func twoStepSignInIsConfirmedWithACodeAndThenEachCodeSignsInOnce() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let session = try await Self.session(app, for: user)
            let clock = TestClock(Date())
            try await Application(router: try await Self.router(app, clock: clock)).test(.router) { client in
                let started = try await Self.post(client, "/account/totp", cookie: session.cookie, fields: [("csrf_token", session.token)])
                #expect(started.status == .ok)
                let html = String(buffer: started.body)
                let shown = try #require(Self.text(ofID: "totp-secret", in: html))
                let secret = shown.replacingOccurrences(of: " ", with: "")
                #expect(shown.split(separator: " ").allSatisfy { $0.count <= 4 })
                #expect(html.contains("value=\"\(secret)\""))
                #expect(Self.text(ofID: "totp-uri", in: html)?.hasPrefix("otpauth://totp/Skein:vera?secret=\(secret)") == true)
                #expect(html.contains("id=\"totp-confirm\"") && html.contains("inputmode=\"numeric\""))
                #expect(try await app.store.user(id: user.id)?.totpSecret == nil)

                let totp = try #require(TOTP(base32Secret: secret))
                let stale = totp.code(at: clock.now.addingTimeInterval(-5 * 60))
                let wrong = try await Self.post(client, "/account/totp/confirm", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("secret", secret), ("code", stale),
                ])
                #expect(wrong.status == .badRequest)
                #expect(String(buffer: wrong.body).contains("value=\"\(secret)\""))
                #expect(String(buffer: wrong.body).contains("That code does not match."))
                #expect(try await app.store.user(id: user.id)?.totpSecret == nil)

                let confirmCode = totp.code(at: clock.now)
                let confirmed = try await Self.post(client, "/account/totp/confirm", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("secret", secret), ("code", confirmCode),
                ])
                #expect(confirmed.status == .seeOther)
                #expect(confirmed.headers[.location] == "/account?done=totp-on")
                #expect(try await app.store.user(id: user.id)?.totpSecret == secret)
                let page = String(buffer: try await Self.get(client, "/account", cookie: session.cookie).body)
                #expect(Self.text(ofID: "account-two-step", in: page) == "on")
                #expect(page.contains("id=\"totp-disable\"") && !page.contains("id=\"totp-start\""))

                #expect(try await Self.signIn(client, name: "vera", password: Self.password).status == .unauthorized)
                // The code used to confirm cannot sign in as well.
                #expect(try await Self.signIn(client, name: "vera", password: Self.password, code: confirmCode).status == .unauthorized)
                clock.advance(by: 30)
                let next = totp.code(at: clock.now)
                #expect(try await Self.signIn(client, name: "vera", password: "wrong wrong wrong", code: next).status == .unauthorized)
                #expect(try await Self.signIn(client, name: "vera", password: Self.password, code: next).status == .seeOther)
                #expect(try await Self.signIn(client, name: "vera", password: Self.password, code: next).status == .unauthorized)
            }
            #expect(try await app.store.auditEvents(AuditQuery(actions: [.totpEnabled])).events.map(\.actorName) == ["vera"])
            let logins = try await app.store.auditEvents(AuditQuery(actions: [.loginFailed, .loginSucceeded])).events
            #expect(logins.reversed().map(\.action) == [.loginFailed, .loginFailed, .loginFailed, .loginSucceeded, .loginFailed])
        }
    }

    @Test func turningTwoStepOffNeedsTheCurrentPassword() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            _ = try await app.store.setTOTPSecret(TOTP.generateSecret(), userID: user.id)
            let session = try await Self.session(app, for: user)
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                let refused = try await Self.post(client, "/account/totp/disable", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("current_password", "not my password at all"),
                ])
                #expect(refused.status == .badRequest)
                #expect(String(buffer: refused.body).contains(AccountController.wrongCurrentPassword))
                #expect(try await app.store.user(id: user.id)?.totpSecret != nil)

                let done = try await Self.post(client, "/account/totp/disable", cookie: session.cookie, fields: [
                    ("csrf_token", session.token), ("current_password", Self.password),
                ])
                #expect(done.status == .seeOther)
                #expect(try await app.store.user(id: user.id)?.totpSecret == nil)
                #expect(try await Self.signIn(client, name: "vera", password: Self.password).status == .seeOther)
            }
            #expect(try await app.store.auditEvents(AuditQuery(actions: [.totpDisabled])).events.map(\.actorName) == ["vera"])
        }
    }

    @Test(arguments: ["/account/password", "/account/totp", "/account/totp/confirm", "/account/totp/disable"])
    func aFormWithoutItsTokenIsRefused(path: String) async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let secret = TOTP.generateSecret()
            let session = try await Self.session(app, for: user)
            let foreign = CSRFToken(sessionSecret: Data("another session's secret, 32 bytes".utf8)).token(for: AccountController.formPurpose)
            let otherPurpose = CSRFToken(sessionSecret: Data(session.cookie.dropFirst("skein_session=".count).utf8)).token(for: "admin.tokens")
            let code = try #require(TOTP(base32Secret: secret)).code(at: Date())
            try await Application(router: try await Self.router(app, clock: TestClock(Date()))).test(.router) { client in
                for token in [nil, "forged", foreign, otherPurpose] {
                    var fields = [("current_password", Self.password), ("new_password", Self.newPassword), ("secret", secret), ("code", code)]
                    if let token { fields.append(("csrf_token", token)) }
                    let response = try await Self.post(client, path, cookie: session.cookie, fields: fields)
                    #expect(response.status == .forbidden)
                    #expect(!String(buffer: response.body).contains(secret))
                }
            }
            let stored = try #require(try await app.store.user(id: user.id))
            #expect(stored.totpSecret == nil)
            #expect(await app.hasher.verify(Self.password, against: stored.passwordHash))
            #expect(try await app.store.auditEvents(AuditQuery()).events.isEmpty)
        }
    }

    @Test func aBearerTokenCannotUseTheAccountPage() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let secret = SecretToken.generate(.read)
            try await app.store.createAPIToken(
                APIToken(name: "grafana", kind: .read, ownerUserID: user.id, scope: .unrestricted, createdAt: Date()), secretHash: secret.hash)
            try await Application(router: try await app.router()).test(.router) { client in
                let bearer: HTTPFields = [.authorization: "Bearer \(secret.value)", .contentType: "application/x-www-form-urlencoded"]
                try await client.execute(uri: "/account", method: .get, headers: bearer) { response in
                    #expect(response.status == .forbidden)
                    #expect(!String(buffer: response.body).contains("vera"))
                }
                try await client.execute(
                    uri: "/account/totp", method: .post, headers: bearer, body: ByteBuffer(string: "csrf_token=x")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }
    }
}
