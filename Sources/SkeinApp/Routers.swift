import Hummingbird
import Intake
import Logging
import Mustache
import Storage
import Web

/// The three HTTP surfaces Skein listens on, each assembled from the Web module's controllers.
enum Routers {
    /// OTLP/HTTP on :4318.
    static func otlpHTTP(pipeline: IngestPipeline, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        OTLPHTTPController<BasicRequestContext>(pipeline: pipeline, logger: logger).addRoutes(to: router)
        return router
    }

    /// Zipkin v2 on :9411.
    static func zipkin(pipeline: IngestPipeline, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        ZipkinController<BasicRequestContext>(pipeline: pipeline, logger: logger).addRoutes(to: router)
        return router
    }

    /// Pages, the Jaeger query API, static files and health checks on :16686.
    static func ui(
        reader: any TraceReader, templates: MustacheLibrary, publicDirectory: String,
        readiness: @escaping @Sendable () async -> Bool, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(FileMiddleware(publicDirectory, urlBasePath: "/static", searchForIndexHtml: false, logger: logger))
        HealthController<BasicRequestContext>(isReady: readiness).addRoutes(to: router)
        JaegerAPIController<BasicRequestContext>(reader: reader, logger: logger).addRoutes(to: router)
        PagesController<BasicRequestContext>(reader: reader, templates: templates, logger: logger).addRoutes(to: router)
        return router
    }
}
