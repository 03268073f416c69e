import Accounts
import Intake

/// Everything `skein serve` can be told, resolved from flags and `SKEIN_*` environment variables.
public struct SkeinConfiguration: Sendable {
    /// Where the embedded database and other local state live.
    public var dataDirectory: String
    /// An external PostgreSQL to use instead of the embedded one.
    public var databaseURL: String?
    /// Address every listener binds to.
    public var bindHost: String
    /// Where clients on this machine (the demo generator, the printed URL) reach the listeners:
    /// the bind address, or loopback when binding every interface.
    var localHost: String { bindHost == "0.0.0.0" ? "127.0.0.1" : bindHost }
    /// Port 0 asks the system for a free port (used by tests); the chosen ports are reported by `ListenerPorts`.
    public var uiPort: Int
    public var otlpHTTPPort: Int
    public var otlpGRPCPort: Int
    public var zipkinPort: Int
    /// Run the built-in traffic generator against this server.
    public var demo: Bool
    /// Traces per second the demo generator sends.
    public var demoRate: Double
    /// Per-request and per-span ingest limits (body size, spans, attributes, events, links, ...).
    public var ingestLimits: IngestLimits
    /// How much ingest work is held at once (memory budget, queue, batch size, write timeout).
    public var ingestCapacity: IngestCapacity
    /// Folder holding `Templates/`, `Public/` and `Migrations/`; found automatically when `nil`.
    public var resourcesDirectory: String?
    /// The certificate and key every listener (UI, OTLP/HTTP, Zipkin, OTLP/gRPC) serves TLS with;
    /// `nil` for plain HTTP and h2c.
    public var tls: TLSFiles?
    /// Refuse spans sent without an ingest API token (`--require-ingest-token`). Without it a
    /// request with no token is taken, but a presented token must still be valid.
    public var requireIngestToken: Bool
    /// bcrypt's work factor for passwords set while serving (`PasswordHasher.defaultCost`); tests lower it.
    public var passwordHashCost: UInt8 = PasswordHasher.defaultCost

    /// Whether the listeners serve HTTPS: then session cookies must be `Secure` and the UI sends
    /// Strict-Transport-Security.
    public var servesTLS: Bool { tls != nil }
    /// `https` under TLS, else `http`: for URLs Skein prints or gives its own clients.
    var urlScheme: String { servesTLS ? "https" : "http" }

    /// PEM files of a TLS certificate (chain, leaf first) and its private key.
    public struct TLSFiles: Sendable, Equatable {
        public var certificatePath: String
        public var privateKeyPath: String

        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init(
        dataDirectory: String = ".skein",
        databaseURL: String? = nil,
        bindHost: String = "127.0.0.1",
        uiPort: Int = 16686,
        otlpHTTPPort: Int = 4318,
        otlpGRPCPort: Int = 4317,
        zipkinPort: Int = 9411,
        demo: Bool = false,
        demoRate: Double = 20,
        ingestLimits: IngestLimits = IngestLimits(),
        ingestCapacity: IngestCapacity = IngestCapacity(),
        resourcesDirectory: String? = nil,
        tls: TLSFiles? = nil,
        requireIngestToken: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.bindHost = bindHost
        self.uiPort = uiPort
        self.otlpHTTPPort = otlpHTTPPort
        self.otlpGRPCPort = otlpGRPCPort
        self.zipkinPort = zipkinPort
        self.demo = demo
        self.demoRate = demoRate
        self.ingestLimits = ingestLimits
        self.ingestCapacity = ingestCapacity
        self.resourcesDirectory = resourcesDirectory
        self.tls = tls
        self.requireIngestToken = requireIngestToken
    }
}
