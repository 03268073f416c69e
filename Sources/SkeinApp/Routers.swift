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

    /// Pages, the Jaeger query API, static files, `/metrics`, the admin ingest-health page and
    /// health checks on :16686. Pages and the API read through `telemetry.reader`.
    /// Every answer carries the security headers (CSP, ...); state-changing requests from other
    /// origins are refused before any route sees them (so no route may change state on GET).
    static func ui(
        templates: MustacheLibrary, publicDirectory: String, telemetry: Telemetry, servesTLS: Bool, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(telemetry.requestMetrics(listener: "ui"))
        router.middlewares.add(SecurityHeadersMiddleware(servesTLS: servesTLS))
        router.middlewares.add(CSRFProtection(servesTLS: servesTLS))
        router.middlewares.add(FileMiddleware(publicDirectory, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
        let readiness = telemetry.readiness
        HealthController<BasicRequestContext>(check: { await readiness.check() }).addRoutes(to: router)
        telemetry.metrics.addRoutes(to: router)
        let metrics = telemetry.metrics
        IngestHealthController<BasicRequestContext>(templates: templates, scrape: { await metrics.scrape() }, logger: logger)
            .addRoutes(to: router)
        JaegerAPIController<BasicRequestContext>(
            reader: telemetry.reader, logger: logger, isDatabaseReachable: telemetry.isDatabaseReachable
        ).addRoutes(to: router)
        PagesController<BasicRequestContext>(
            reader: telemetry.reader, templates: templates, logger: logger, isDatabaseReachable: telemetry.isDatabaseReachable
        ).addRoutes(to: router)
        return router
    }
}
