import ArgumentParser
import Intake
import Logging
import SkeinApp

/// `skein serve`: run the receivers, the UI and the query API.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Skein: OTLP and Zipkin receivers, the web UI and the Jaeger-compatible API.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("bind"), help: "Address every listener binds to; 0.0.0.0 to accept remote senders (SKEIN_BIND).")
    var bindHost: String = Environment.string("SKEIN_BIND") ?? "127.0.0.1"

    @Option(name: .customLong("ui-port"), help: "Web UI and query API (SKEIN_UI_PORT).")
    var uiPort: Int = Environment.number("SKEIN_UI_PORT", default: 16686)

    @Option(name: .customLong("otlp-http-port"), help: "OTLP/HTTP receiver (SKEIN_OTLP_HTTP_PORT).")
    var otlpHTTPPort: Int = Environment.number("SKEIN_OTLP_HTTP_PORT", default: 4318)

    @Option(name: .customLong("otlp-grpc-port"), help: "OTLP/gRPC receiver (SKEIN_OTLP_GRPC_PORT).")
    var otlpGRPCPort: Int = Environment.number("SKEIN_OTLP_GRPC_PORT", default: 4317)

    @Option(name: .customLong("zipkin-port"), help: "Zipkin v2 receiver (SKEIN_ZIPKIN_PORT).")
    var zipkinPort: Int = Environment.number("SKEIN_ZIPKIN_PORT", default: 9411)

    @OptionGroup(title: "Ingest limits and capacity") var ingest: IngestOptions

    @Flag(name: .customLong("demo"), help: "Also generate demo traffic from a simulated shop (8 services plus PostgreSQL, Redis and Kafka) (SKEIN_DEMO=1).")
    var demo: Bool = Environment.bool("SKEIN_DEMO")

    @Option(name: .customLong("demo-rate"), help: "Demo traces per second (SKEIN_DEMO_RATE).")
    var demoRate: Double = Environment.number("SKEIN_DEMO_RATE", default: 20.0)

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: every listener serves TLS with it; needs --tls-key (SKEIN_TLS_CERT).")
    var tlsCertificate: String? = Environment.string("SKEIN_TLS_CERT")

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert (SKEIN_TLS_KEY).")
    var tlsKey: String? = Environment.string("SKEIN_TLS_KEY")

    @Flag(name: .customLong("require-ingest-token"), help: "Refuse spans sent without an ingest API token: 'Authorization: Bearer <token>' or 'x-skein-token: <token>' (SKEIN_REQUIRE_INGEST_TOKEN=1).")
    var requireIngestToken: Bool = Environment.bool("SKEIN_REQUIRE_INGEST_TOKEN")

    func validate() throws {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil), (.some, .some):
            break
        case (.some, nil):
            throw ValidationError("--tls-cert needs --tls-key (SKEIN_TLS_KEY) too")
        case (nil, .some):
            throw ValidationError("--tls-key needs --tls-cert (SKEIN_TLS_CERT) too")
        }
        if tlsCertificate != nil && demo {
            throw ValidationError("--demo sends plain HTTP to the local OTLP listener; it cannot run with --tls-cert yet")
        }
    }

    /// The certificate and key when both are given (`validate()` refuses one without the other).
    var tls: SkeinConfiguration.TLSFiles? {
        guard let tlsCertificate, let tlsKey else { return nil }
        return SkeinConfiguration.TLSFiles(certificatePath: tlsCertificate, privateKeyPath: tlsKey)
    }

    func run() async throws {
        let logger = makeLogger(level: database.logLevel)
        let configuration = SkeinConfiguration(
            dataDirectory: database.dataDirectory, databaseURL: database.databaseURL, bindHost: bindHost,
            uiPort: uiPort, otlpHTTPPort: otlpHTTPPort, otlpGRPCPort: otlpGRPCPort, zipkinPort: zipkinPort,
            demo: demo, demoRate: demoRate, ingestLimits: ingest.limits, ingestCapacity: ingest.capacity,
            resourcesDirectory: database.resourcesDirectory, tls: tls, requireIngestToken: requireIngestToken)
        let server = try await buildApplication(configuration: configuration, logger: logger)
        try await server.run()
    }
}
