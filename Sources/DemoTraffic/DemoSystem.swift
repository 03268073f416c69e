/// The simulated online shop the demo plays: its instrumented services and the infrastructure
/// (PostgreSQL, Redis, Kafka, third-party APIs) they call.
public struct DemoSystem: Sendable {
    public let frontend: DemoService
    public let gateway: DemoService
    public let auth: DemoService
    public let catalog: DemoService
    public let orders: DemoService
    public let payments: DemoService
    public let inventory: DemoService
    public let notifications: DemoService

    let postgres = DemoPeer(name: "postgres", address: "postgres.shop.svc.cluster.local", ipAddress: "10.43.0.12", port: 5432)
    let redis = DemoPeer(name: "redis", address: "redis.shop.svc.cluster.local", ipAddress: "10.43.0.21", port: 6379)
    let kafka = DemoPeer(name: "kafka", address: "kafka-0.kafka.shop.svc.cluster.local", ipAddress: "10.43.0.31", port: 9092)
    let paymentProvider = DemoPeer(name: "payment-provider", address: "api.payments.example", ipAddress: "198.51.100.20", port: 443)
    let mailProvider = DemoPeer(name: "mail-provider", address: "api.mailer.example", ipAddress: "198.51.100.45", port: 443)

    /// OpenTelemetry semantic-conventions schema the demo's attributes follow.
    static let schemaURL = "https://opentelemetry.io/schemas/1.26.0"

    /// The standard demo shop.
    public static let shop = DemoSystem()

    private init() {
        frontend = DemoService(name: "frontend", version: "2.14.0", language: .nodejs, port: 8080, index: 1,
                               podHashes: ["6d8f9c7b5-x7k2p", "6d8f9c7b5-m4q9z"])
        gateway = DemoService(name: "api-gateway", version: "1.9.3", language: .go, port: 8080, index: 2,
                              podHashes: ["5b7c8d9f4-h2n6w", "5b7c8d9f4-r8t3v"])
        auth = DemoService(name: "auth", version: "3.2.1", language: .java, port: 8080, index: 3,
                           podHashes: ["7f6b5c4d8-j9k3l"])
        catalog = DemoService(name: "catalog", version: "1.22.0", language: .python, port: 5000, index: 4,
                              podHashes: ["84c9d7f6b-p2q7r", "84c9d7f6b-s5t1u", "84c9d7f6b-w3x8y"])
        orders = DemoService(name: "orders", version: "4.1.0", language: .go, port: 8080, index: 5,
                             podHashes: ["9a8b7c6d5-a1b2c", "9a8b7c6d5-d3e4f"])
        payments = DemoService(name: "payments", version: "2.8.5", language: .java, port: 8443, index: 6,
                               podHashes: ["6c5d4e3f2-g5h6i"])
        inventory = DemoService(name: "inventory", version: "1.7.2", language: .python, port: 5000, index: 7,
                                podHashes: ["5e4f3a2b1-k7l8m", "5e4f3a2b1-n9o0p"])
        notifications = DemoService(name: "notifications", version: "0.9.12", language: .python, port: 5000, index: 8,
                                    podHashes: ["4d3c2b1a9-q1r2s"])
    }

    /// Every instrumented service, in call order from the edge inwards.
    public var services: [DemoService] {
        [frontend, gateway, auth, catalog, orders, payments, inventory, notifications]
    }

    /// Names of the uninstrumented systems the services call, as their client spans' `peer.service`.
    public var peerServiceNames: [String] {
        [postgres, redis, kafka, paymentProvider, mailProvider].map(\.name)
    }
}
