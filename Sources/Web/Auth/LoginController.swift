import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage

/// `GET /login` (the form), `POST /login` (sign in) and `POST /logout` (sign out).
///
/// The login form's CSRF token is keyed by a random pre-session cookie (`skein_csrf`), set when
/// the form is shown; sign-out's by the session secret (purpose `logout`, in the `csrf_token`
/// field or the `X-CSRF-Token` header). A successful sign-in sets a new session cookie, removes
/// the pre-session cookie and sends the browser to `next` when it is local (`LocalRedirect`).
public struct LoginController: Sendable {
    public typealias Context = SkeinRequestContext

    /// The CSRF purposes of the two forms.
    public static let loginPurpose = "login"
    public static let logoutPurpose = "logout"
    /// The header a script may send the sign-out token in.
    public static let csrfHeader: HTTPField.Name = {
        guard let name = HTTPField.Name("X-CSRF-Token") else { preconditionFailure("'X-CSRF-Token' is a valid header name") }
        return name
    }()

    /// The one answer to every refused sign-in: wrong name, password or code, or too many attempts.
    static let refusal = "Wrong user name, password or authentication code."

    let store: any AccountStore
    let signIn: SignIn
    let templates: MustacheLibrary
    let cookie: SessionCookie

    public init(store: any AccountStore, signIn: SignIn, templates: MustacheLibrary, cookie: SessionCookie) {
        self.store = store
        self.signIn = signIn
        self.templates = templates
        self.cookie = cookie
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/login") { request, context in
            self.form(request, context: context)
        }
        router.post("/login") { request, context in
            try await self.login(request, context: context)
        }
        router.post("/logout") { request, context in
            try await self.logout(request, context: context)
        }
    }

    /// The token to put in the sign-out form of a page rendered for `context` (nil when anonymous).
    public static func logoutToken(for context: Context) -> String? {
        guard let secret = context.sessionSecret else { return nil }
        return CSRFToken(sessionSecret: Data(secret.utf8)).token(for: logoutPurpose)
    }

    func form(_ request: Request, context: Context) -> Response {
        let next = LocalRedirect.target(request.uri.queryParameters.get("next"))
        if context.session != nil {
            return AdminResponse.redirect(to: next)
        }
        return page(request, next: next, problem: nil, username: "", status: .ok)
    }

    func login(_ request: Request, context: Context) async throws -> Response {
        let form = try await LoginForm.read(from: request)
        let next = LocalRedirect.target(form.next)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        guard let preSession = SessionCookie.value(named: cookie.preSessionName, in: request),
              CSRFToken(sessionSecret: Data(preSession.utf8)).isValid(form.csrfToken, for: Self.loginPurpose)
        else {
            return page(request, next: next, problem: "The sign-in form had expired. Please try again.",
                        username: username, status: .forbidden, freshPreSession: true)
        }
        switch try await signIn.attempt(
            name: username, password: form.password ?? "", code: form.code, address: context.clientAddress
        ) {
        case .succeeded(_, _, let secret):
            var response = AdminResponse.redirect(to: next)
            response.headers.append(HTTPField(name: .setCookie, value: cookie.setting(secret)))
            response.headers.append(HTTPField(name: .setCookie, value: cookie.clearingPreSession))
            if let old = context.session {
                _ = try? await store.deleteSession(idHash: old.idHash)
            }
            return response
        case .refused:
            return page(request, next: next, problem: Self.refusal, username: username, status: .unauthorized)
        }
    }

    func logout(_ request: Request, context: Context) async throws -> Response {
        var response = AdminResponse.redirect(to: "/login")
        response.headers.append(HTTPField(name: .setCookie, value: cookie.clearing))
        guard let session = context.session, let secret = context.sessionSecret, let principal = context.principal else {
            return response
        }
        let form = try await LoginForm.read(from: request)
        let submitted = request.headers[Self.csrfHeader] ?? form.csrfToken
        guard CSRFToken(sessionSecret: Data(secret.utf8)).isValid(submitted, for: Self.logoutPurpose) else {
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Refused: the sign-out form had expired. Reload the page and try again.\n")))
        }
        _ = try await store.deleteSession(idHash: session.idHash)
        try await store.appendAudit(AuditEvent(principal: principal, action: .logout, clientAddress: context.clientAddress))
        return response
    }

    /// The login page; keeps the browser's pre-session secret unless `freshPreSession` or it has none.
    private func page(
        _ request: Request, next: String, problem: String?, username: String, status: HTTPResponse.Status, freshPreSession: Bool = false
    ) -> Response {
        let preSession = PreSession(request: request, cookie: cookie, fresh: freshPreSession)
        let token = preSession.csrfToken(for: Self.loginPurpose)
        let model = AuthPageModel(title: "Sign in", csrfToken: token, problem: problem, username: username, next: next)
        var response = AuthPages.html(templates.render(model, withTemplate: "login"), status: status)
        if let setCookie = preSession.setCookie { response.headers.append(HTTPField(name: .setCookie, value: setCookie)) }
        return response
    }
}
