import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
@testable import Web

/// `/login`, `/logout` and the session cookie over a real account store.
@Suite struct SignInTests {
    static let password = "correct horse battery staple"

    /// The login form's pre-session cookie and CSRF token, as a browser gets them.
    static func loginForm(_ client: some TestClientProtocol, next: String? = nil) async throws -> (cookie: String, token: String) {
        let uri = next.map { "/login?next=\(LoginForm.percentEncoded($0))" } ?? "/login"
        return try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok)
            let preSession = try #require(response.headers.setCookieValue("skein_csrf"))
            let html = String(buffer: response.body)
            let marker = "name=\"csrf_token\" value=\""
            let start = try #require(html.range(of: marker)).upperBound
            let token = String(html[start...].prefix { $0 != "\"" })
            return ("skein_csrf=\(preSession)", token)
        }
    }

    /// Vera, a viewer with two-step sign-in on, and her authenticator.
    static func veraWithTwoStep(in app: AuthTestApp) async throws -> (user: User, totp: TOTP) {
        let user = try await app.makeUser("vera", role: .viewer, password: password)
        let secret = TOTP.generateSecret()
        _ = try await app.store.setTOTPSecret(secret, userID: user.id)
        return (user, try #require(TOTP(base32Secret: secret)))
    }

    /// Sign-in against the app's store and throttle with its clock stopped at `time`.
    static func signIn(_ app: AuthTestApp, at time: Date) -> SignIn {
        SignIn(store: app.store, hasher: app.hasher, throttle: app.throttle, now: { time })
    }

    static func post(
        _ client: some TestClientProtocol, username: String, password: String, code: String? = nil,
        form: (cookie: String, token: String), next: String = "/"
    ) async throws -> TestResponse {
        let body = "username=\(LoginForm.percentEncoded(username))&password=\(LoginForm.percentEncoded(password))"
            + "&csrf_token=\(form.token)&next=\(LoginForm.percentEncoded(next))"
            + (code.map { "&code=\(LoginForm.percentEncoded($0))" } ?? "")
        return try await client.execute(
            uri: "/login", method: .post,
            headers: [.cookie: form.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)) { $0 }
    }

    @Test func aCorrectPasswordOpensASessionThatReachesPagesAndIsAudited() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.loginForm(client)
                let response = try await Self.post(client, username: "Vera", password: Self.password, form: form)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/")
                let secret = try #require(response.headers.setCookieValue("skein_session"))
                #expect(secret.hasPrefix("skein_ses_"))
                let cookie = try #require(response.headers.setCookies.first { $0.hasPrefix("skein_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                #expect(try await app.store.session(idHash: SecretToken.hash(secret))?.userID == user.id)
                try await client.execute(uri: "/search", method: .get, headers: [.cookie: "skein_session=\(secret)"]) { page in
                    #expect(page.status == .ok)
                }
            }
            let events = try await app.store.auditEvents(AuditQuery()).events
            #expect(events.map(\.action) == [.loginSucceeded])
            #expect(events.first?.actorUserID == user.id)
        }
    }

    @Test func aWrongPasswordAndAnUnknownUserGetTheSameAnswer() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            try await app.makeUser("vera", role: .viewer, password: Self.password)
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.loginForm(client)
                let wrong = try await Self.post(client, username: "vera", password: "not the password at all", form: form)
                let unknown = try await Self.post(client, username: "nobody", password: "not the password at all", form: form)
                #expect(wrong.status == .unauthorized)
                #expect(unknown.status == .unauthorized)
                #expect(wrong.headers.setCookieValue("skein_session") == nil)
                let wrongText = String(buffer: wrong.body).replacingOccurrences(of: "vera", with: "NAME")
                let unknownText = String(buffer: unknown.body).replacingOccurrences(of: "nobody", with: "NAME")
                #expect(wrongText == unknownText)
                #expect(wrongText.contains("Wrong user name, password or authentication code."))
            }
            let events = try await app.store.auditEvents(AuditQuery()).events
            #expect(events.map(\.action) == [.loginFailed, .loginFailed])
        }
    }

    @Test func aMissingOrWrongAuthenticationCodeGetsTheAnswerOfAWrongPassword() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let (user, totp) = try await Self.veraWithTwoStep(in: app)
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.loginForm(client)
                let page = try await client.execute(uri: "/login", method: .get) { String(buffer: $0.body) }
                #expect(page.contains("id=\"login-code\"") && page.contains("autocomplete=\"one-time-code\""))
                let wrongPassword = try await Self.post(client, username: "vera", password: "not the password at all", form: form)
                let missing = try await Self.post(client, username: "vera", password: Self.password, form: form)
                let wrong = try await Self.post(
                    client, username: "vera", password: Self.password, code: totp.code(at: Date().addingTimeInterval(-600)), form: form)
                for refused in [missing, wrong] {
                    #expect(refused.status == wrongPassword.status)
                    #expect(String(buffer: refused.body) == String(buffer: wrongPassword.body))
                    #expect(refused.headers.setCookieValue("skein_session") == nil)
                }
            }
            let events = try await app.store.auditEvents(AuditQuery()).events
            #expect(events.map(\.action) == [.loginFailed, .loginFailed, .loginFailed])
            #expect(events.allSatisfy { $0.actorUserID == user.id })
        }
    }

    @Test func wrongCodesCountInTheThrottleLikeWrongPasswords() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let (user, totp) = try await Self.veraWithTwoStep(in: app)
            let time = Date()
            let signIn = Self.signIn(app, at: time)
            for _ in 0..<LoginThrottle.Policy.standard.failuresPerAccount {
                let outcome = try await signIn.attempt(name: "vera", password: Self.password, code: "000000x", address: "192.0.2.7")
                guard case .refused = outcome else { Issue.record("a wrong code signed in"); return }
            }
            // Throttled: even the right code is refused now, and the step is not used up.
            let locked = try await signIn.attempt(name: "vera", password: Self.password, code: totp.code(at: time), address: "192.0.2.7")
            guard case .refused = locked else { Issue.record("a throttled attempt signed in"); return }
            #expect(try await app.store.useTOTPStep(totp.step(at: time), userID: user.id))
        }
    }

    @Test func aCodeSignsInOnceAndNotAgain() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let (user, totp) = try await Self.veraWithTwoStep(in: app)
            let time = Date()
            let code = totp.code(at: time)
            let signIn = Self.signIn(app, at: time)
            let first = try await signIn.attempt(name: "vera", password: Self.password, code: code, address: "192.0.2.7")
            guard case .succeeded(let signedIn, _, _) = first else { Issue.record("the right code was refused"); return }
            #expect(signedIn.id == user.id)
            let replay = try await signIn.attempt(name: "vera", password: Self.password, code: code, address: "192.0.2.8")
            guard case .refused = replay else { Issue.record("a replayed code signed in"); return }
            // A user without two-step sign-in is not asked for a code, and one sent is ignored.
            try await app.makeUser("otto", role: .viewer, password: Self.password)
            guard case .succeeded = try await signIn.attempt(name: "otto", password: Self.password, code: "123456", address: "192.0.2.7") else {
                Issue.record("a code stopped a user without two-step sign-in"); return
            }
        }
    }

    @Test func aDisabledUserCannotSignInAndTheirSessionEnds() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let cookie = try await app.sessionCookie(for: user)
            _ = try await app.store.setDisabled(true, userID: user.id)
            try await Application(router: try await app.router()).test(.router) { client in
                try await client.execute(uri: "/search", method: .get, headers: [.cookie: cookie]) { response in
                    #expect(response.status == .found)
                    #expect(response.headers.setCookies.contains { $0.hasPrefix("skein_session=;") })
                }
                let form = try await Self.loginForm(client)
                let response = try await Self.post(client, username: "vera", password: Self.password, form: form)
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func afterFiveFailuresEvenTheRightPasswordIsRefused() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            try await app.makeUser("vera", role: .viewer, password: Self.password)
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.loginForm(client)
                for _ in 0..<LoginThrottle.Policy.standard.failuresPerAccount {
                    _ = try await Self.post(client, username: "vera", password: "wrong wrong wrong", form: form)
                }
                let response = try await Self.post(client, username: "vera", password: Self.password, form: form)
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("Wrong user name, password or authentication code."))
            }
            let events = try await app.store.auditEvents(AuditQuery()).events
            #expect(events.first?.action == .loginThrottled)
        }
    }

    @Test func anAnonymousVisitorIsSentToLoginAndBackToThePageAfterwards() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            try await app.makeUser("vera", role: .viewer, password: Self.password)
            try await Application(router: try await app.router()).test(.router) { client in
                let target = try await client.execute(uri: "/search?service=checkout", method: .get) { response in
                    #expect(response.status == .found)
                    return response.headers[.location]
                }
                #expect(target == "/login?next=/search%3Fservice%3Dcheckout")
                let form = try await Self.loginForm(client, next: "/search?service=checkout")
                let response = try await Self.post(client, username: "vera", password: Self.password, form: form, next: "/search?service=checkout")
                #expect(response.headers[.location] == "/search?service=checkout")
                let foreign = try await Self.post(client, username: "vera", password: Self.password, form: form, next: "//evil.example/")
                #expect(foreign.headers[.location] == "/")
            }
        }
    }

    @Test func aLoginWithoutTheFormTokenIsRefused() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            try await app.makeUser("vera", role: .viewer, password: Self.password)
            try await Application(router: try await app.router()).test(.router) { client in
                let form = try await Self.loginForm(client)
                let response = try await Self.post(client, username: "vera", password: Self.password, form: (form.cookie, "forged"))
                #expect(response.status == .forbidden)
                #expect(response.headers.setCookieValue("skein_session") == nil)
            }
        }
    }

    @Test func signingOutDeletesTheSessionAndIsAudited() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let opened = try await app.signIn.openSession(for: user)
            let token = CSRFToken(sessionSecret: Data(opened.secret.utf8)).token(for: LoginController.logoutPurpose)
            try await Application(router: try await app.router()).test(.router) { client in
                let cookie = "skein_session=\(opened.secret)"
                try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie]) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/logout", method: .post, headers: [.cookie: cookie, LoginController.csrfHeader: token]
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/login")
                }
                try await client.execute(uri: "/search", method: .get, headers: [.cookie: cookie]) { response in
                    #expect(response.status == .found)
                }
            }
            #expect(try await app.store.session(idHash: opened.session.idHash) == nil)
            #expect(try await app.store.auditEvents(AuditQuery()).events.map(\.action) == [.logout])
        }
    }

    @Test func anIdleSessionHasEndedAndIsDeleted() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let secret = SecretToken.generate(.session)
            let long = Date().addingTimeInterval(-SessionPolicy.standard.idleTimeout - 60)
            try await app.store.createSession(Session(idHash: secret.hash, userID: user.id, createdAt: long))
            try await Application(router: try await app.router()).test(.router) { client in
                try await client.execute(uri: "/", method: .get, headers: [.cookie: "skein_session=\(secret.value)"]) { response in
                    #expect(response.status == .found)
                }
            }
            #expect(try await app.store.session(idHash: secret.hash) == nil)
        }
    }

    @Test func aBearerReadTokenReachesTheAPIButNeverFallsBackToTheCookie() async throws {
        try await WebTestDatabase.with { database in
            let app = try await AuthTestApp(database: database)
            let user = try await app.makeUser("vera", role: .viewer, password: Self.password)
            let cookie = try await app.sessionCookie(for: user)
            let secret = SecretToken.generate(.read)
            try await app.store.createAPIToken(
                APIToken(name: "grafana", kind: .read, ownerUserID: user.id, scope: .unrestricted, createdAt: Date()), secretHash: secret.hash)
            try await Application(router: try await app.router()).test(.router) { client in
                try await client.execute(uri: "/api/services", method: .get, headers: [.authorization: "Bearer \(secret.value)"]) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(
                    uri: "/api/services", method: .get, headers: [.authorization: "Bearer skein_read_wrong", .cookie: cookie]
                ) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }
}
