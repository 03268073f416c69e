import DemoTraffic
import Logging
import ServiceLifecycle

/// `serve --demo`: plays the demo system against this server's own OTLP/HTTP listener.
struct DemoTrafficService: Service {
    let configuration: SkeinConfiguration
    let ports: ListenerPorts
    let logger: Logger

    func run() async throws {
        let port = await ports.port(of: .otlpHTTP)
        var demo = DemoConfiguration()
        demo.endpoint = "http://\(configuration.localHost):\(port)"
        demo.tracesPerSecond = configuration.demoRate
        let generator = DemoTrafficGenerator(configuration: demo, logger: logger)
        logger.notice("demo traffic: sending \(configuration.demoRate) traces/s to \(demo.endpoint)")
        _ = try? await cancelWhenGracefulShutdown {
            try await generator.run()
        }
    }
}
