import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage

/// The first-admin setup link, `GET`/`POST /setup/{token}`: while Skein has no users, `serve`
/// prints a one-time link (see `FirstAdminSetup`); its form creates an administrator with
/// `PasswordPolicy.standard`, uses up the token, signs the new admin in and audits
/// `user.created` and `setup.completed`.
///
/// The form's CSRF token is keyed by the pre-session cookie, as on the login page. The token in
/// the address is only used up once everything else is valid, so a typo does not waste it.
public struct SetupController: Sendable {
    public typealias Context = SkeinRequestContext

    public static let purpose = "setup"

    let store: any AccountStore
    let signIn: SignIn
    let hasher: PasswordHasher
    let templates: MustacheLibrary
    let cookie: SessionCookie
    let now: @Sendable () -> Date

    public init(
        store: any AccountStore, signIn: SignIn, hasher: PasswordHasher, templates: MustacheLibrary, cookie: SessionCookie,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.signIn = signIn
        self.hasher = hasher
        self.templates = templates
        self.cookie = cookie
        self.now = now
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/setup/{token}") { request, context in
            self.page(request, token: context.parameters.get("token") ?? "", model: nil, status: .ok)
        }
        router.post("/setup/{token}") { request, context in
            try await self.create(request, context: context)
        }
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let form = try await LoginForm.read(from: request)
        let name = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        let displayName = (form.displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var model = AuthPageModel(title: "Create the first administrator", csrfToken: "", username: name, displayName: displayName)
        guard let preSession = SessionCookie.value(named: cookie.preSessionName, in: request),
              CSRFToken(sessionSecret: Data(preSession.utf8)).isValid(form.csrfToken, for: Self.purpose)
        else {
            model.problem = "The form had expired. Please try again."
            return page(request, token: token, model: model, status: .forbidden, freshPreSession: true)
        }
        let password = form.password ?? ""
        if let problem = User.problem(withName: name) {
            model.problem = problem
        } else if let problem = PasswordPolicy.standard.problem(with: password, userName: name, displayName: displayName) {
            model.problem = problem.description
        } else if password != (form.confirmation ?? "") {
            model.problem = "The two passwords differ. Type the same password twice."
        }
        if model.problem != nil {
            return page(request, token: token, model: model, status: .badRequest)
        }
        guard try await store.userCount() == 0,
              try await store.consumeSetupToken(secretHash: SecretToken.hash(token), at: now())
        else {
            return AuthPages.html(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Setup link used · Skein</title></head>"
                    + "<body><p>This setup link has been used or has expired. <a href=\"/login\">Sign in</a>.</p></body></html>",
                status: .gone)
        }
        let user = User(
            name: name, displayName: displayName.isEmpty ? name : displayName, passwordHash: await hasher.hash(password),
            roleIDs: [Role.admin.id], createdAt: now())
        try await store.createUser(user)
        try await store.appendAudit(
            AuditEvent(time: now(), actorUserID: user.id, actorName: user.name, action: .userCreated, target: user.name,
                       after: "{\"roles\":[\"admin\"]}", clientAddress: context.clientAddress))
        try await store.appendAudit(
            AuditEvent(time: now(), actorUserID: user.id, actorName: user.name, action: .setupCompleted, clientAddress: context.clientAddress))
        let opened = try await signIn.openSession(for: user)
        var response = AdminResponse.redirect(to: "/")
        response.headers.append(HTTPField(name: .setCookie, value: cookie.setting(opened.secret)))
        response.headers.append(HTTPField(name: .setCookie, value: cookie.clearingPreSession))
        return response
    }

    private func page(
        _ request: Request, token: String, model: AuthPageModel?, status: HTTPResponse.Status, freshPreSession: Bool = false
    ) -> Response {
        let preSession = PreSession(request: request, cookie: cookie, fresh: freshPreSession)
        var model = model ?? AuthPageModel(title: "Create the first administrator", csrfToken: "")
        model.csrfToken = preSession.csrfToken(for: Self.purpose)
        model.token = token
        var response = AuthPages.html(templates.render(model, withTemplate: "setup"), status: status)
        if let setCookie = preSession.setCookie { response.headers.append(HTTPField(name: .setCookie, value: setCookie)) }
        return response
    }
}
