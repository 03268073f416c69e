import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
@testable import Web

/// The UI routes as `Routers.ui` assembles them (the SkeinApp module is out of reach of these
/// tests), over an in-memory trace store and a real account store, with helpers to make users
/// and sessions.
struct AuthTestApp: Sendable {
    let store: PostgresAccountStore
    let hasher = PasswordHasher(cost: 4)
    let throttle: LoginThrottle
    let logger: Logger
    /// The trace store pages and the API read (empty unless a test writes to it).
    let traces = InMemoryTraceStore()

    init(database: WebTestDatabase, throttle: LoginThrottle = LoginThrottle()) async throws {
        store = PostgresAccountStore(client: database.client, logger: database.logger)
        self.throttle = throttle
        logger = database.logger
        try await store.seedBuiltInRoles()
    }

    var signIn: SignIn { SignIn(store: store, hasher: hasher, throttle: throttle) }

    func router() async throws -> Router<SkeinRequestContext> {
        let templates = try await PagesController<SkeinRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let cookie = SessionCookie(servesTLS: false)
        let router = Router(context: SkeinRequestContext.self)
        router.middlewares.add(SessionAuthenticator(store: store, cookie: cookie))
        router.middlewares.add(RouteGuard(policy: .standard))
        let readAudit = ReadAuditRecorder(store: store, logger: logger)
        router.middlewares.add(TokenUseAuditMiddleware(recorder: readAudit))
        let audit: @Sendable (SkeinRequestContext, AuditedRead) async -> Void = { context, read in
            await readAudit.record(read, principal: context.principal, clientAddress: context.clientAddress)
        }
        let chrome: @Sendable (SkeinRequestContext) -> PageChrome = { PageChrome(context: $0) }
        HealthController<SkeinRequestContext>(isReady: { true }).addRoutes(to: router)
        MetricsController<SkeinRequestContext>(exposition: { [] }).addRoutes(to: router)
        IngestHealthController<SkeinRequestContext>(templates: templates, scrape: { [] }, logger: logger, chrome: chrome)
            .addRoutes(to: router)
        let serviceScope: @Sendable (SkeinRequestContext) -> ServiceScope = { $0.principal?.serviceScope ?? .none }
        JaegerAPIController<SkeinRequestContext>(reader: traces, logger: logger, serviceScope: serviceScope, audit: audit)
            .addRoutes(to: router)
        PagesController<SkeinRequestContext>(
            reader: traces, templates: templates, logger: logger, serviceScope: serviceScope, chrome: chrome, audit: audit
        ).addRoutes(to: router)
        AdminTokensController(store: store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminAuditController(store: store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminRolesController(store: store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminUsersController(store: store, templates: templates, access: .session, hasher: hasher, logger: logger).addRoutes(to: router)
        LoginController(store: store, signIn: signIn, templates: templates, cookie: cookie).addRoutes(to: router)
        AccountController(store: store, signIn: signIn, hasher: hasher, throttle: throttle, templates: templates, cookie: cookie, logger: logger)
            .addRoutes(to: router)
        SetupController(store: store, signIn: signIn, hasher: hasher, templates: templates, cookie: cookie).addRoutes(to: router)
        return router
    }

    /// A user holding `role` with `password`.
    @discardableResult
    func makeUser(_ name: String, role: Role, password: String = "correct horse battery staple", disabled: Bool = false) async throws -> User {
        let user = User(name: name, displayName: name, passwordHash: await hasher.hash(password), roleIDs: [role.id], isDisabled: disabled)
        try await store.createUser(user)
        return user
    }

    /// The `Cookie` header of a fresh session of `user`.
    func sessionCookie(for user: User) async throws -> String {
        let opened = try await signIn.openSession(for: user)
        return "skein_session=\(opened.secret)"
    }
}

/// The `Set-Cookie` values of a response, and a named cookie's value among them.
extension HTTPFields {
    var setCookies: [String] { self[values: .setCookie] }

    func setCookieValue(_ name: String) -> String? {
        for cookie in setCookies {
            let pair = cookie.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            if pair.hasPrefix("\(name)=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
    }
}
