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
        let host = configuration.bindHost == "0.0.0.0" ? "127.0.0.1" : configuration.bindHost
        var demo = DemoConfiguration()
        demo.endpoint = "http://\(host):\(port)"
        demo.tracesPerSecond = configuration.demoRate
        demo.duration = nil
        let generator = DemoTrafficGenerator(configuration: demo, logger: logger)
        logger.notice("demo traffic: sending \(configuration.demoRate) traces/s to \(demo.endpoint)")
        _ = try? await cancelWhenGracefulShutdown {
            try await generator.run()
        }
    }
}
