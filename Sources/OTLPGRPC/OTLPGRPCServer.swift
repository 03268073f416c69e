import GRPCCore
import GRPCNIOTransportHTTP2
import Intake
import Logging

/// The OTLP/gRPC listener: `OTLPTraceService` on an `OTLPGRPCTransport`, with messages limited to
/// the pipeline's body limit. `skein serve` runs it as a service; tests run the same thing.
public struct OTLPGRPCServer: Sendable {
    private let transport: HTTP2ServerTransport.Posix
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let host: String
    private let requestedPort: Int

    /// The PEM certificate chain (leaf first) and private key the server presents over TLS.
    public struct TLSCertificate: Sendable {
        public var certificatePath: String
        public var privateKeyPath: String

        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// A server for `host:port` (port 0 picks a free port) feeding `pipeline`; over TLS with
    /// `tls`, else in plaintext (h2c); calls are let in by `authorization`.
    public init(
        host: String, port: Int, pipeline: IngestPipeline, authorization: IngestAuthorization = .unchecked,
        tls: TLSCertificate? = nil, logger: Logger
    ) {
        transport = OTLPGRPCTransport.listening(
            host: host, port: port, maxMessageBytes: Self.transportCeiling(forLimit: pipeline.limits.maxBodyBytes),
            tls: tls)
        server = GRPCServer(transport: transport, services: [OTLPTraceService(pipeline: pipeline, authorization: authorization, logger: logger)])
        self.host = host
        self.requestedPort = port
    }

    /// The largest message the transport reads: twice the body limit. A message over the limit
    /// but under this reaches `OTLPTraceService`, which answers RESOURCE_EXHAUSTED naming the
    /// limit; over this, the transport (grpc-swift-nio-transport 2.9.2) stops reading, or
    /// inflating, and resets the stream, which a client sees as UNAVAILABLE or CANCELLED
    /// instead of a status. Only a client far over the limit, or a decompression bomb, gets that.
    static func transportCeiling(forLimit limit: Int) -> Int {
        let (doubled, overflow) = limit.multipliedReportingOverflow(by: 2)
        return overflow ? Int(UInt32.max) : min(doubled, Int(UInt32.max))
    }

    /// Serves until `beginGracefulShutdown()` has let in-flight calls finish, or until cancelled.
    /// `onListening` gets the bound port once the server accepts connections; when binding fails
    /// this throws instead.
    public func serve(onListening: @escaping @Sendable (Int) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let address: GRPCNIOTransportCore.SocketAddress
            do {
                address = try await transport.listeningAddress
            } catch {
                // When binding failed, `serve()` ends with the reason (the address in use, ...);
                // the listening address only says the server stopped.
                let reason: any Error
                do {
                    try await group.next()
                    reason = error
                } catch let serveError {
                    reason = serveError
                }
                throw OTLPGRPCBindError(host: host, port: requestedPort, reason: Self.describe(reason))
            }
            let port = address.ipv4?.port ?? address.ipv6?.port ?? requestedPort
            onListening(port)
            try await group.waitForAll()
        }
    }

    /// The innermost cause of a transport error: that is where the system's reason is.
    private static func describe(_ error: any Error) -> String {
        var cause: any Error = error
        while true {
            if let runtime = cause as? RuntimeError, let inner = runtime.cause {
                cause = inner
            } else if let rpc = cause as? RPCError, let inner = rpc.cause {
                cause = inner
            } else {
                return "\(cause)"
            }
        }
    }

    /// Stops accepting new calls and lets the ones in flight finish; `serve` then returns.
    public func beginGracefulShutdown() {
        server.beginGracefulShutdown()
    }
}
