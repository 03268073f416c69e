import Accounts
import Hummingbird
import Intake
import Logging
import Mustache
import Storage
import Web

/// The three HTTP surfaces Skein listens on, each assembled from the Web module's controllers.
/// Every router counts and times its requests first (`skein_http_request*`, by route pattern).
enum Routers {
    /// OTLP/HTTP on :4318.
    static func otlpHTTP(
        pipeline: IngestPipeline, authorization: IngestAuthorization, telemetry: Telemetry, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(telemetry.requestMetrics(listener: "otlp_http"))
        OTLPHTTPController<BasicRequestContext>(pipeline: pipeline, authorization: authorization, logger: logger).addRoutes(to: router)
        return router
    }

    /// Zipkin v2 on :9411.
    static func zipkin(
        pipeline: IngestPipeline, authorization: IngestAuthorization, telemetry: Telemetry, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(telemetry.requestMetrics(listener: "zipkin"))
        ZipkinController<BasicRequestContext>(pipeline: pipeline, authorization: authorization, logger: logger).addRoutes(to: router)
        return router
    }

    /// Pages, the Jaeger query API, static files, `/metrics`, the admin ingest-health page, health
    /// checks, sign-in/sign-out and the first-admin setup link on :16686. Pages and the API read
    /// through `telemetry.reader`.
    /// Every answer carries the security headers (CSP, ...); state-changing requests from other
    /// origins are refused before any route sees them (so no route may change state on GET).
    /// Then `SessionAuthenticator` finds the principal and `RouteGuard` applies `RoutePolicy`:
    /// every registered route must have an entry there, or building the router stops.
    static func ui(
        templates: MustacheLibrary, publicDirectory: String, telemetry: Telemetry, accounts: AccountServices,
        servesTLS: Bool, logger: Logger
    ) -> Router<SkeinRequestContext> {
        let router = Router(context: SkeinRequestContext.self)
        let cookie = SessionCookie(servesTLS: servesTLS)
        router.middlewares.add(telemetry.requestMetrics(listener: "ui"))
        router.middlewares.add(SecurityHeadersMiddleware(servesTLS: servesTLS))
        router.middlewares.add(CSRFProtection(servesTLS: servesTLS))
        router.middlewares.add(FileMiddleware(publicDirectory, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
        router.middlewares.add(SessionAuthenticator(store: accounts.store, policy: accounts.sessionPolicy, cookie: cookie))
        router.middlewares.add(RouteGuard(policy: .standard))
        // Reads of trace data (and each read token's use, once a minute) go to the audit log.
        let readAudit = ReadAuditRecorder(store: accounts.store, logger: logger)
        router.middlewares.add(TokenUseAuditMiddleware(recorder: readAudit))
        let audit: @Sendable (SkeinRequestContext, AuditedRead) async -> Void = { context, read in
            await readAudit.record(read, principal: context.principal, clientAddress: context.clientAddress)
        }
        let chrome: @Sendable (SkeinRequestContext) -> PageChrome = { PageChrome(context: $0) }
        let readiness = telemetry.readiness
        HealthController<SkeinRequestContext>(check: { await readiness.check() }).addRoutes(to: router)
        telemetry.metrics.addRoutes(to: router)
        let metrics = telemetry.metrics
        IngestHealthController<SkeinRequestContext>(
            templates: templates, scrape: { await metrics.scrape() }, logger: logger, chrome: chrome
        ).addRoutes(to: router)
        // Pages and the API show only the services the principal's roles (or token) allow.
        let serviceScope: @Sendable (SkeinRequestContext) -> ServiceScope = { $0.principal?.serviceScope ?? .none }
        JaegerAPIController<SkeinRequestContext>(
            reader: telemetry.reader, logger: logger, isDatabaseReachable: telemetry.isDatabaseReachable, serviceScope: serviceScope,
            audit: audit
        ).addRoutes(to: router)
        PagesController<SkeinRequestContext>(
            reader: telemetry.reader, templates: templates, logger: logger, isDatabaseReachable: telemetry.isDatabaseReachable,
            serviceScope: serviceScope, chrome: chrome, audit: audit
        ).addRoutes(to: router)
        AdminTokensController(store: accounts.store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminAuditController(store: accounts.store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminRolesController(store: accounts.store, templates: templates, access: .session, logger: logger).addRoutes(to: router)
        AdminUsersController(store: accounts.store, templates: templates, access: .session, hasher: accounts.hasher, logger: logger)
            .addRoutes(to: router)
        LoginController(store: accounts.store, signIn: accounts.signIn, templates: templates, cookie: cookie).addRoutes(to: router)
        AccountController(
            store: accounts.store, signIn: accounts.signIn, hasher: accounts.hasher, throttle: accounts.throttle, templates: templates,
            cookie: cookie, logger: logger
        ).addRoutes(to: router)
        SetupController(store: accounts.store, signIn: accounts.signIn, hasher: accounts.hasher, templates: templates, cookie: cookie)
            .addRoutes(to: router)
        let unguarded = RoutePolicy.standard.unguarded(router.routes.map { $0.path.description })
        precondition(unguarded.isEmpty, "UI routes without an entry in RoutePolicy.standard: \(unguarded)")
        return router
    }
}
