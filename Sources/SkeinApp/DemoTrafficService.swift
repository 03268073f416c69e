import DemoTraffic
import Logging
import ServiceLifecycle

/// `serve --demo`: plays the demo system against this server's own OTLP/HTTP listener.
struct DemoTrafficService: Service {
    let configuration: SkeinConfiguration
    let ports: ListenerPorts
    let logger: Logger

    func run() async throws {
        // The wait for the listener is inside the cancellation too: when the OTLP listener fails
        // to bind, the group shuts down gracefully and this service must not wait for it forever.
        _ = try? await cancelWhenGracefulShutdown {
            let port = try await ports.port(of: .otlpHTTP)
            var demo = DemoConfiguration()
            demo.endpoint = "http://\(configuration.localHost):\(port)"
            demo.tracesPerSecond = configuration.demoRate
            let generator = DemoTrafficGenerator(configuration: demo, logger: logger)
            logger.notice("demo traffic: sending \(configuration.demoRate) traces/s to \(demo.endpoint)")
            return try await generator.run()
        }
    }
}
