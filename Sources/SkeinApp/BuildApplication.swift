import Foundation
import Hummingbird
import Ingest
import Intake
import Logging
import Mustache
import Prometheus
import ServiceLifecycle
import Storage
import TraceModel
import Web

/// Opens the database (embedded or external), applies migrations and wires every listener and
/// background service. `skein serve` and the end-to-end tests both call this, so what is tested
/// is what runs.
public func buildApplication(configuration: SkeinConfiguration, logger: Logger) async throws -> SkeinServer {
    let resources = try ResourceLocator(explicit: configuration.resourcesDirectory)
    let database = try await Database.open(
        url: configuration.databaseURL, dataDirectory: configuration.dataDirectory, logger: logger)
    do {
        let applied = try await database.migrate(directory: resources.migrations)
        if !applied.isEmpty { logger.info("applied migrations", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
        let store = database.traceStore
        try await store.ensurePartitions(around: WallClock.unixNanos())
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: resources.templates)
        let ports = ListenerPorts()
        let metricsRegistry = PrometheusCollectorRegistry()
        let metricsFactory = PrometheusMetricsFactory(registry: metricsRegistry)
        let pipeline = IngestPipeline(
            writer: store, limits: configuration.ingestLimits, capacity: configuration.ingestCapacity,
            metrics: IngestMetrics(factory: metricsFactory), logger: logger)

        var services: [any Service] = [PartitionMaintenanceService(store: store, logger: logger)]
        services.append(
            listener(.otlpHTTP, port: configuration.otlpHTTPPort, configuration: configuration, ports: ports, logger: logger,
                     router: Routers.otlpHTTP(pipeline: pipeline, logger: logger)))
        services.append(
            listener(.zipkin, port: configuration.zipkinPort, configuration: configuration, ports: ports, logger: logger,
                     router: Routers.zipkin(pipeline: pipeline, logger: logger)))
        services.append(
            listener(.ui, port: configuration.uiPort, configuration: configuration, ports: ports, logger: logger,
                     router: Routers.ui(reader: store, templates: templates, publicDirectory: resources.publicFiles,
                                        readiness: { await store.isReady() }, logger: logger)))
        if configuration.demo {
            services.append(DemoTrafficService(configuration: configuration, ports: ports, logger: logger))
        }
        return SkeinServer(configuration: configuration, database: database, ports: ports, services: services, logger: logger)
    } catch {
        await database.close()
        throw error
    }
}

private func listener(
    _ listener: ListenerPorts.Listener, port: Int, configuration: SkeinConfiguration, ports: ListenerPorts,
    logger: Logger, router: Router<BasicRequestContext>
) -> some Service {
    Application(
        router: router,
        configuration: .init(address: .hostname(configuration.bindHost, port: port), serverName: "skein"),
        onServerRunning: { channel in
            let bound = channel.localAddress?.port ?? port
            ports.record(listener, port: bound)
            if listener == .ui {
                logger.notice("Skein is running: open http://\(configuration.localHost):\(bound)/")
            } else {
                logger.info("listening", metadata: ["listener": "\(listener.rawValue)", "port": "\(bound)"])
            }
        },
        logger: logger
    )
}
