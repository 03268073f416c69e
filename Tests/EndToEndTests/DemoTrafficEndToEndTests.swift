import DemoTraffic
import Foundation
import Logging
import XCTest

/// `skein demo` against a real Skein: paced sending, cancellation, max-rate throughput, and what
/// happens when nobody is listening.
final class DemoTrafficEndToEndTests: XCTestCase {
    private var logger: Logger {
        var logger = Logger(label: "demo-e2e")
        logger.logLevel = .notice
        return logger
    }

    private func configuration(endpoint: String, rate: Double, duration: Duration?) -> DemoConfiguration {
        var configuration = DemoConfiguration()
        configuration.endpoint = endpoint
        configuration.tracesPerSecond = rate
        configuration.duration = duration
        configuration.concurrency = 2
        configuration.seed = 1
        return configuration
    }

    func testDemoTrafficReachesSkeinAtItsRateAndEveryServiceBecomesSearchable() async throws {
        try await withRunningSkein { skein in
            let generator = DemoTrafficGenerator(
                configuration: configuration(endpoint: "http://127.0.0.1:\(skein.otlp)", rate: 30, duration: .seconds(3)),
                logger: logger)
            let report = try await generator.run()
            XCTAssertEqual(report.failures, 0, "\(report)")
            XCTAssertGreaterThanOrEqual(report.traces, 60, "\(report)")
            XCTAssertLessThanOrEqual(report.traces, 120, "paced to about 30 requests a second: \(report)")
            XCTAssertGreaterThan(report.spans, report.traces * 5)
            XCTAssertLessThan(report.elapsedSeconds, 8)

            let services = Set(try await skein.getJSON("/api/services")["data"] as? [String] ?? [])
            for name in ["frontend", "api-gateway", "auth", "catalog", "orders", "inventory"] {
                XCTAssertTrue(services.contains(name), "\(name) missing from \(services.sorted())")
            }
        }
    }

    func testCancellingAnEndlessRunStopsItPromptlyWithAReport() async throws {
        try await withRunningSkein { skein in
            let generator = DemoTrafficGenerator(
                configuration: configuration(endpoint: "http://127.0.0.1:\(skein.otlp)", rate: 20, duration: nil),
                logger: logger)
            let run = Task { try await generator.run() }
            try await Task.sleep(for: .seconds(2))
            let cancelled = ContinuousClock.now
            run.cancel()
            let report = try await run.value
            XCTAssertLessThan(ContinuousClock.now - cancelled, .seconds(3))
            XCTAssertGreaterThan(report.batches, 0, "\(report)")
            XCTAssertEqual(report.failures, 0, "\(report)")
        }
    }

    func testMaxRateModeSendsAsFastAsSkeinAcknowledges() async throws {
        try await withRunningSkein { skein in
            var configuration = configuration(endpoint: "http://127.0.0.1:\(skein.otlp)", rate: 0, duration: .seconds(3))
            configuration.batchSize = 20
            let report = try await DemoTrafficGenerator(configuration: configuration, logger: logger).run()
            logger.notice("demo max-rate throughput", metadata: ["report": "\(report)"])
            XCTAssertEqual(report.failures, 0, "\(report)")
            XCTAssertGreaterThan(report.batches, 2, "\(report)")
            XCTAssertEqual(report.traces, report.batches * 20)
        }
    }

    func testAnEndpointNobodyListensOnCountsFailedRequestsAndStopsRetryingAtTheEndOfTheRun() async throws {
        var logger = logger
        logger.logLevel = .error
        let configuration = configuration(endpoint: "http://127.0.0.1:9", rate: 4, duration: .seconds(1.5))
        let report = try await DemoTrafficGenerator(configuration: configuration, logger: logger).run()
        XCTAssertLessThan(report.elapsedSeconds, 4, "retries outlived the 1.5 s run: \(report)")
        XCTAssertGreaterThan(report.failures, 0, "\(report)")
        XCTAssertGreaterThan(report.retries, 0, "\(report)")
        XCTAssertEqual(report.traces, 0)
        XCTAssertEqual(report.batches, 0)
    }

    func testAnEndpointThatIsNotAnHTTPURLIsRefusedWithAMessage() async {
        let generator = DemoTrafficGenerator(
            configuration: configuration(endpoint: "ftp://127.0.0.1:4318", rate: 1, duration: .seconds(1)), logger: logger)
        do {
            _ = try await generator.run()
            XCTFail("an ftp endpoint was accepted")
        } catch {
            XCTAssertTrue("\(error)".contains("http://127.0.0.1:4318"), "\(error)")
        }
    }
}
