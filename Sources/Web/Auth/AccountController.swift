import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import Storage

/// `/account`: the signed-in person's own page — change their password and turn two-step sign-in
/// (TOTP) on or off.
///
/// - Only browser sessions may use it: a bearer-token request gets 403 (accounts are for people).
/// - Every form carries the session's `csrf_token` for `formPurpose`.
/// - The current password is asked for before a password change or turning two-step sign-in off.
///   A wrong one counts in `LoginThrottle` like a failed sign-in, and a throttled attempt is not
///   checked at all; both get the same answer.
/// - A password change ends every session of the user and opens a new one for this browser.
/// - Turning two-step on stores the secret only once a code from it is confirmed, and records
///   that code's step as used so it cannot sign in as well.
/// - Audited: `password.changed`, `totp.enabled`, `totp.disabled`.
/// - An admin resetting a password does not touch two-step sign-in; a lost authenticator needs an
///   administrator.
public struct AccountController: Sendable {
    public typealias Context = SkeinRequestContext

    /// The purpose the forms' CSRF tokens are made for.
    public static let formPurpose = "account"
    /// The one answer to a current password that was wrong or not checked because of the throttle.
    static let wrongCurrentPassword = "Your current password was not accepted."
    /// The answer to starting or confirming two-step sign-in while it is on.
    static let totpAlreadyOn = "Two-step sign-in is already on. Turn it off first to use another authenticator."
    /// Longest base32 secret the confirm form may post back (a 160-bit secret is 32 characters).
    static let maximumSecretLength = 64

    let store: any AccountStore
    let signIn: SignIn
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let renderer: AdminPageRenderer
    let cookie: SessionCookie
    let passwordPolicy: PasswordPolicy
    let now: @Sendable () -> Date

    public init(
        store: any AccountStore, signIn: SignIn, hasher: PasswordHasher, throttle: LoginThrottle, templates: MustacheLibrary,
        cookie: SessionCookie, logger: Logger, passwordPolicy: PasswordPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.signIn = signIn
        self.hasher = hasher
        self.throttle = throttle
        self.renderer = AdminPageRenderer(templates: templates, logger: logger)
        self.cookie = cookie
        self.passwordPolicy = passwordPolicy
        self.now = now
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/account") { request, context in
            try await self.show(request, context: context)
        }
        router.post("/account/password") { request, context in
            try await self.changePassword(request, context: context)
        }
        router.post("/account/totp") { request, context in
            try await self.startTOTP(request, context: context)
        }
        router.post("/account/totp/confirm") { request, context in
            try await self.confirmTOTP(request, context: context)
        }
        router.post("/account/totp/disable") { request, context in
            try await self.disableTOTP(request, context: context)
        }
    }

    /// The signed-in person behind a browser session.
    struct Person {
        var user: User
        var principal: Principal
        var csrf: CSRFToken
    }

    /// Why a request is answered before its page is built.
    enum Refusal: Error {
        /// No browser session (anonymous or an API token) or the user is gone.
        case notAPerson
        case badFormToken

        var response: Response {
            switch self {
            case .notAPerson:
                return AdminResponse.text(.forbidden, "The account page is for people signed in with a browser, not for API tokens.")
            case .badFormToken:
                return AdminRefusal.badFormToken.response
            }
        }
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        guard case .success(let person) = try await signedInPerson(in: context) else { return Refusal.notAPerson.response }
        var page = try await page(for: person, context: context)
        page.notice = AccountPage.notice(forDone: request.uri.queryParameters.get("done"))
        return render(page, status: .ok)
    }

    func changePassword(_ request: Request, context: Context) async throws -> Response {
        let (person, form): (Person, FormFields)
        switch try await personPosting(request, context: context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): (person, form) = checked
        }
        guard await currentPasswordAccepted(form.value("current_password"), of: person.user, context: context) else {
            return try await refuse(person, problem: Self.wrongCurrentPassword, at: \.passwordProblem, context: context)
        }
        let newPassword = form.value("new_password") ?? ""
        if let problem = passwordPolicy.problem(with: newPassword, userName: person.user.name, displayName: person.user.displayName) {
            return try await refuse(person, problem: problem.description, at: \.passwordProblem, context: context)
        }
        guard try await store.setPasswordHash(await hasher.hash(newPassword), userID: person.user.id) else {
            return Refusal.notAPerson.response
        }
        let ended = try await store.deleteSessions(userID: person.user.id)
        let opened = try await signIn.openSession(for: person.user)
        try await store.appendAudit(AuditEvent(
            time: now(), principal: person.principal, action: .passwordChanged, target: person.user.name,
            after: AuditJSON.compact(["sessionsEnded": String(ended)]), clientAddress: context.clientAddress))
        var response = AdminResponse.redirect(to: "/account?done=password")
        response.headers.append(HTTPField(name: .setCookie, value: cookie.setting(opened.secret)))
        return response
    }

    func startTOTP(_ request: Request, context: Context) async throws -> Response {
        let person: Person
        switch try await personPosting(request, context: context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): person = checked.0
        }
        guard person.user.totpSecret == nil else {
            return try await refuse(person, problem: Self.totpAlreadyOn, at: \.totpProblem, context: context)
        }
        var page = try await page(for: person, context: context)
        page.enrolment = enrolment(secret: TOTP.generateSecret(), for: person.user)
        return render(page, status: .ok)
    }

    func confirmTOTP(_ request: Request, context: Context) async throws -> Response {
        let (person, form): (Person, FormFields)
        switch try await personPosting(request, context: context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): (person, form) = checked
        }
        guard person.user.totpSecret == nil else {
            return try await refuse(person, problem: Self.totpAlreadyOn, at: \.totpProblem, context: context)
        }
        var page = try await page(for: person, context: context)
        let posted = form.value("secret") ?? ""
        guard posted.count <= Self.maximumSecretLength, let bytes = Base32.decode(posted), bytes.count >= 16 else {
            page.totpProblem = "The setup had expired. Start again."
            return render(page, status: .badRequest)
        }
        let secret = Base32.encode(bytes)
        let totp = TOTP(secret: bytes)
        guard let step = totp.matchingStep(for: form.value("code") ?? "", at: now()) else {
            page.enrolment = enrolment(secret: secret, for: person.user)
            page.totpProblem = "That code does not match. Enter the code your app shows now (it changes every 30 seconds)."
            return render(page, status: .badRequest)
        }
        guard try await store.setTOTPSecret(secret, userID: person.user.id) else { return Refusal.notAPerson.response }
        _ = try await store.useTOTPStep(step, userID: person.user.id)
        try await store.appendAudit(AuditEvent(
            time: now(), principal: person.principal, action: .totpEnabled, target: person.user.name, clientAddress: context.clientAddress))
        return AdminResponse.redirect(to: "/account?done=totp-on")
    }

    func disableTOTP(_ request: Request, context: Context) async throws -> Response {
        let (person, form): (Person, FormFields)
        switch try await personPosting(request, context: context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): (person, form) = checked
        }
        guard await currentPasswordAccepted(form.value("current_password"), of: person.user, context: context) else {
            return try await refuse(person, problem: Self.wrongCurrentPassword, at: \.totpProblem, context: context)
        }
        if person.user.totpSecret != nil {
            guard try await store.setTOTPSecret(nil, userID: person.user.id) else { return Refusal.notAPerson.response }
            try await store.appendAudit(AuditEvent(
                time: now(), principal: person.principal, action: .totpDisabled, target: person.user.name, clientAddress: context.clientAddress))
        }
        return AdminResponse.redirect(to: "/account?done=totp-off")
    }

    /// The user behind the request's browser session; `.notAPerson` for anonymous and bearer-token
    /// requests (they have no session) and for a user who no longer exists.
    private func signedInPerson(in context: Context) async throws -> Result<Person, Refusal> {
        guard context.session != nil, let secret = context.sessionSecret, let principal = context.principal,
              case .user(let id, _) = principal.identity, let user = try await store.user(id: id), !user.isDisabled
        else { return .failure(.notAPerson) }
        return .success(Person(user: user, principal: principal, csrf: CSRFToken(sessionSecret: Data(secret.utf8))))
    }

    /// The person and the posted form, once the form's CSRF token is checked.
    private func personPosting(_ request: Request, context: Context) async throws -> Result<(Person, FormFields), Refusal> {
        let person: Person
        switch try await signedInPerson(in: context) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let found): person = found
        }
        let form = try await FormFields.read(from: request)
        guard person.csrf.isValid(form.csrfToken, for: Self.formPurpose) else { return .failure(.badFormToken) }
        return .success((person, form))
    }

    /// Whether `password` is the user's current one. Asks the throttle first (a locked account or
    /// address is not checked) and counts a wrong password as a failed sign-in.
    private func currentPasswordAccepted(_ password: String?, of user: User, context: Context) async -> Bool {
        if case .locked = throttle.check(account: user.name, address: context.clientAddress) { return false }
        guard await hasher.verify(password ?? "", against: user.passwordHash) else {
            throttle.recordFailure(account: user.name, address: context.clientAddress)
            return false
        }
        return true
    }

    private func enrolment(secret: String, for user: User) -> AccountPage.Enrolment {
        let uri = TOTP(base32Secret: secret)?.provisioningURI(account: user.name) ?? ""
        return AccountPage.Enrolment(secret: secret, groupedSecret: AccountPage.grouped(secret), uri: uri)
    }

    private func page(for person: Person, context: Context) async throws -> AccountPage {
        AccountPage(
            user: person.user, roles: try await store.roles(), chrome: PageChrome(context: context),
            csrfToken: person.csrf.token(for: Self.formPurpose))
    }

    /// The page again (400) with `problem` shown at `field`, next to the form it is about.
    private func refuse(
        _ person: Person, problem: String, at field: WritableKeyPath<AccountPage, String?>, context: Context
    ) async throws -> Response {
        var page = try await page(for: person, context: context)
        page[keyPath: field] = problem
        return render(page, status: .badRequest)
    }

    private func render(_ page: AccountPage, status: HTTPResponse.Status) -> Response {
        renderer.render(page, template: "account", status: status)
    }
}
