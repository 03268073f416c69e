import Intake
import Logging
import OTLPGRPC
import ServiceLifecycle

/// The OTLP/gRPC listener as a service: binds `bindHost:otlpGRPCPort` (over TLS when the
/// configuration has a certificate), records the bound port and,
/// on graceful shutdown, stops accepting calls and finishes the ones in flight.
struct OTLPGRPCListener: Service {
    let configuration: SkeinConfiguration
    let pipeline: IngestPipeline
    let authorization: IngestAuthorization
    let ports: ListenerPorts
    let logger: Logger

    func run() async throws {
        let tls = configuration.tls.map {
            OTLPGRPCServer.TLSCertificate(certificatePath: $0.certificatePath, privateKeyPath: $0.privateKeyPath)
        }
        let server = OTLPGRPCServer(
            host: configuration.bindHost, port: configuration.otlpGRPCPort, pipeline: pipeline, authorization: authorization, tls: tls,
            logger: logger)
        let ports = ports
        let logger = logger
        try await withGracefulShutdownHandler {
            try await server.serve { port in
                ports.record(.otlpGRPC, port: port)
                logger.info("listening", metadata: ["listener": "\(ListenerPorts.Listener.otlpGRPC.rawValue)", "port": "\(port)"])
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
