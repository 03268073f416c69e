import DemoTraffic
import Logging

/// `skein demo`: runs the traffic generator against an OTLP/HTTP endpoint until its duration ends
/// (or the task is cancelled) and returns a human-readable report.
public func runDemo(
    endpoint: String, rate: Double, duration: Double?, concurrency: Int, seed: UInt64?, logger: Logger
) async throws -> String {
    var configuration = DemoConfiguration()
    configuration.endpoint = endpoint
    configuration.tracesPerSecond = rate
    configuration.duration = duration.map { .milliseconds(Int64($0 * 1000)) }
    configuration.concurrency = concurrency
    configuration.seed = seed
    let report = try await DemoTrafficGenerator(configuration: configuration, logger: logger).run()
    return "\(report)"
}
