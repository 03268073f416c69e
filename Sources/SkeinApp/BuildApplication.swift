import Accounts
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Ingest
import Intake
import Logging
import Mustache
import NIOSSL
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
    let server = try httpServer(tls: configuration.tls)
    let database = try await Database.open(
        url: configuration.databaseURL, dataDirectory: configuration.dataDirectory, logger: logger)
    do {
        let applied = try await database.migrate(directory: resources.migrations)
        if !applied.isEmpty { logger.info("applied migrations", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
        let store = database.traceStore
        try await store.ensurePartitions(around: WallClock.unixNanos())
        let templates = try await PagesController<SkeinRequestContext>.loadTemplates(directory: resources.templates)
        let accounts = AccountServices(
            store: PostgresAccountStore(client: database.client, logger: logger),
            hasher: PasswordHasher(cost: configuration.passwordHashCost))
        let setupPath = try await FirstAdminSetup.prepare(store: accounts.store, hasher: accounts.hasher)
        let ports = ListenerPorts()
        let metricsRegistry = PrometheusCollectorRegistry()
        let telemetry = Telemetry(registry: metricsRegistry, database: database, migrationsDirectory: resources.migrations, logger: logger)
        let metricsFactory = telemetry.factory
        let memoryBudget = IngestMemoryBudget(capacityBytes: configuration.ingestCapacity.memoryBudgetBytes)
        let ingestQueue = IngestQueue(
            writer: store, capacity: configuration.ingestCapacity, probe: { await store.isReady() },
            memoryBudget: memoryBudget, metrics: IngestQueueMetrics(factory: metricsFactory), logger: logger)
        let pipeline = IngestPipeline(
            writer: ingestQueue, limits: configuration.ingestLimits, capacity: configuration.ingestCapacity,
            budget: memoryBudget, metrics: IngestMetrics(factory: metricsFactory), logger: logger)
        let ingestAuthorization = IngestAuthorization(
            store: PostgresAccountStore(client: database.client, logger: logger),
            required: configuration.requireIngestToken, logger: logger)

        // The queue comes before the listeners: the group stops services in reverse order, so
        // listeners finish their in-flight requests first, then the queue commits what is left.
        var services: [any Service] = [
            PartitionMaintenanceService(store: store, logger: logger),
            RollupService(store: store, logger: logger),
            IngestQueueService(queue: ingestQueue, logger: logger),
            SessionCleanupService(store: accounts.store, policy: accounts.sessionPolicy, logger: logger),
        ]
        services.append(
            listener(.otlpHTTP, port: configuration.otlpHTTPPort, configuration: configuration, server: server, ports: ports, logger: logger,
                     router: Routers.otlpHTTP(pipeline: pipeline, authorization: ingestAuthorization, telemetry: telemetry, logger: logger)))
        services.append(
            listener(.zipkin, port: configuration.zipkinPort, configuration: configuration, server: server, ports: ports, logger: logger,
                     router: Routers.zipkin(pipeline: pipeline, authorization: ingestAuthorization, telemetry: telemetry, logger: logger)))
        services.append(OTLPGRPCListener(
            configuration: configuration, pipeline: pipeline, authorization: ingestAuthorization, ports: ports, logger: logger))
        services.append(
            listener(.ui, port: configuration.uiPort, configuration: configuration, server: server, ports: ports, logger: logger,
                     setupPath: setupPath,
                     router: Routers.ui(templates: templates, publicDirectory: resources.publicFiles, telemetry: telemetry,
                                        accounts: accounts, servesTLS: configuration.servesTLS, logger: logger)))
        if configuration.demo {
            services.append(DemoTrafficService(configuration: configuration, ports: ports, logger: logger))
        }
        return SkeinServer(configuration: configuration, database: database, ports: ports, services: services, logger: logger)
    } catch {
        await database.close()
        throw error
    }
}

/// HTTP/1.1, over TLS when the configuration has a certificate. The certificate and key are read
/// here, once, so a missing or malformed file stops `skein serve` before anything listens.
private func httpServer(tls: SkeinConfiguration.TLSFiles?) throws -> HTTPServerBuilder {
    guard let tls else { return .http1() }
    let certificates: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey
    do {
        certificates = try NIOSSLCertificate.fromPEMFile(tls.certificatePath)
    } catch {
        throw TLSFileError(path: tls.certificatePath, kind: "certificate", reason: "\(error)")
    }
    do {
        privateKey = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
    } catch {
        throw TLSFileError(path: tls.privateKeyPath, kind: "private key", reason: "\(error)")
    }
    guard !certificates.isEmpty else {
        throw TLSFileError(path: tls.certificatePath, kind: "certificate", reason: "no PEM certificate in the file")
    }
    let configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    do {
        // Building a context checks that the key belongs to the certificate.
        _ = try NIOSSLContext(configuration: configuration)
    } catch {
        throw TLSFileError(
            path: tls.privateKeyPath, kind: "private key",
            reason: "it does not belong to the certificate in \(tls.certificatePath) (\(error))")
    }
    return try .tls(.http1(), tlsConfiguration: configuration)
}

/// - Parameter setupPath: the first-admin setup link's path, printed once the UI listens (while
///   there are no users).
private func listener<Context: RequestContext>(
    _ listener: ListenerPorts.Listener, port: Int, configuration: SkeinConfiguration, server: HTTPServerBuilder,
    ports: ListenerPorts, logger: Logger, setupPath: String? = nil, router: Router<Context>
) -> some Service where Context.Source == ApplicationRequestContextSource {
    Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.bindHost, port: port), serverName: "skein"),
        onServerRunning: { channel in
            let bound = channel.localAddress?.port ?? port
            ports.record(listener, port: bound)
            if listener == .ui {
                logger.notice("Skein is running: open \(configuration.urlScheme)://\(configuration.localHost):\(bound)/")
                if let setupPath {
                    logger.notice(
                        "No users yet: open \(configuration.urlScheme)://\(configuration.localHost):\(bound)\(setupPath) to create the first admin (the link works once, for 24 hours)")
                }
            } else {
                logger.info("listening", metadata: ["listener": "\(listener.rawValue)", "port": "\(bound)"])
            }
        },
        logger: logger
    )
}
