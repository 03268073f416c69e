import Foundation
import Ingest
import Logging
import TraceModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plays the demo shop's traffic and sends it as OTLP/HTTP protobuf to a receiver at a chosen
/// rate, for a chosen time or until cancelled (`skein demo`, `skein serve --demo`).
public struct DemoTrafficGenerator: Sendable {
    public let configuration: DemoConfiguration
    /// The seed actually used (the configured one, or one picked at random).
    public let seed: UInt64
    private let factory: DemoTraceFactory
    private let clock: DemoClock
    private let logger: Logger
    /// How often `run()` logs its progress.
    private let progressInterval: Duration

    public init(
        configuration: DemoConfiguration, logger: Logger, clock: DemoClock = .system,
        system: DemoSystem = .shop, progressInterval: Duration = .seconds(5)
    ) {
        self.configuration = configuration
        self.seed = configuration.seed ?? UInt64.random(in: 1...UInt64.max)
        self.factory = DemoTraceFactory(system: system)
        self.clock = clock
        self.logger = logger
        self.progressInterval = progressInterval
    }

    /// `count` traces from the configured seed, completed one request interval apart up to the
    /// clock's current time (history, ready for seeding a store). Pure: every call returns the same.
    public func makeTraces(count: Int) -> [[Span]] {
        var random = DemoRandom(seed: seed)
        let spacing = configuration.tracesPerSecond > 0 ? 1 / configuration.tracesPerSecond : 0.05
        return recentTraces(count: count, completedBy: clock.now(), spacingSeconds: spacing, using: &random)
    }

    /// Sends until the configured duration has passed or the task is cancelled, then reports
    /// what the receiver acknowledged. Throws only when the configuration cannot work.
    public func run() async throws -> DemoReport {
        guard let url = URL(string: configuration.tracesURLString), url.scheme == "http" || url.scheme == "https",
              url.host != nil else {
            throw DemoTrafficError("demo endpoint \"\(configuration.endpoint)\" is not an http(s) URL; use e.g. http://127.0.0.1:4318")
        }
        guard configuration.tracesPerSecond >= 0, configuration.tracesPerSecond.isFinite else {
            throw DemoTrafficError("demo rate must be 0 (as fast as acknowledged) or a positive number of traces per second")
        }
        let senders = max(1, configuration.concurrency)
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = 30
        sessionConfiguration.httpMaximumConnectionsPerHost = senders
        let session = URLSession(configuration: sessionConfiguration)
        defer { session.finishTasksAndInvalidate() }
        let exporter = OTLPHTTPExporter(
            url: url, session: session, retryPolicy: DemoRetryPolicy(maxAttempts: max(1, configuration.maxAttempts)),
            logger: logger)
        let statistics = DemoStatistics()
        let started = ContinuousClock.now
        logger.info("demo traffic: starting", metadata: [
            "url": "\(url)", "traces_per_second": "\(configuration.tracesPerSecond == 0 ? "max" : "\(configuration.tracesPerSecond)")",
            "duration": "\(configuration.duration.map { "\($0)" } ?? "until stopped")", "senders": "\(senders)", "seed": "\(seed)",
        ])

        await withTaskGroup(of: Void.self) { group in
            for index in 0..<senders {
                group.addTask {
                    await send(as: index, of: senders, started: started, exporter: exporter, statistics: statistics)
                }
            }
            group.addTask {
                await logProgress(started: started, statistics: statistics)
            }
            for _ in 0..<senders { await group.next() }
            group.cancelAll()
        }

        let report = statistics.report(elapsed: ContinuousClock.now - started)
        logger.info("demo traffic: finished", metadata: ["report": "\(report)"])
        return report
    }

    /// One sender: its own random stream and its share of the rate.
    private func send(
        as index: Int, of senders: Int, started: ContinuousClock.Instant, exporter: OTLPHTTPExporter,
        statistics: DemoStatistics
    ) async {
        var random = DemoRandom(seed: seed &+ UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03)
        let rate = configuration.tracesPerSecond / Double(senders)
        let batch = rate > 0 ? min(max(1, Int(rate)), max(1, configuration.batchSize)) : max(1, configuration.batchSize)
        let stagger = rate > 0 ? Duration.seconds(Double(batch) / rate * Double(index) / Double(senders)) : .zero
        var pacer = DemoPacer(tracesPerSecond: rate, firstSendAt: stagger)
        let spacingSeconds = rate > 0 ? 1 / rate : 0
        let deadline = configuration.duration.map { started + $0 }
        while !Task.isCancelled {
            let elapsed = ContinuousClock.now - started
            let wait = pacer.delay(beforeSending: batch, elapsed: elapsed)
            if let duration = configuration.duration, elapsed + wait >= duration { return }
            if wait > .zero {
                do { try await Task.sleep(for: wait) } catch { return }
            }
            let traces = recentTraces(count: batch, completedBy: clock.now(), spacingSeconds: spacingSeconds, using: &random)
            let spans = traces.flatMap { $0 }
            let body: [UInt8]
            do {
                body = try OTLPTraceCodec.encodeProtobuf(spans)
            } catch {
                logger.error("demo traffic: could not encode a batch", metadata: ["error": "\(error)"])
                statistics.recordFailed(retries: 0)
                continue
            }
            switch await exporter.export(body, deadline: deadline) {
            case .delivered(let retries): statistics.recordDelivered(traces: traces.count, spans: spans.count, retries: retries)
            case .failed(let retries): statistics.recordFailed(retries: retries)
            case .cancelled: return
            }
        }
    }

    private func logProgress(started: ContinuousClock.Instant, statistics: DemoStatistics) async {
        var previous = statistics.report(elapsed: .zero)
        var previousTime = started
        while true {
            do { try await Task.sleep(for: progressInterval) } catch { return }
            let now = ContinuousClock.now
            let current = statistics.report(elapsed: now - started)
            let interval = DemoReport(elapsed: now - previousTime).elapsedSeconds
            let spansPerSecond = interval > 0 ? Double(current.spans - previous.spans) / interval : 0
            logger.info("demo traffic: progress", metadata: [
                "spans_per_second": "\(Int(spansPerSecond.rounded()))", "traces": "\(current.traces)",
                "spans": "\(current.spans)", "failed_requests": "\(current.failures)",
            ])
            previous = current
            previousTime = now
        }
    }

    /// `count` traces whose requests completed `spacingSeconds` apart, the last at `completedBy`.
    /// Each request is played from its completion time backwards, so no span lies in the future.
    private func recentTraces(
        count: Int, completedBy now: UInt64, spacingSeconds: Double, using random: inout DemoRandom
    ) -> [[Span]] {
        var traces: [[Span]] = []
        traces.reserveCapacity(count + 1)
        var index = 0
        while traces.count < count {
            let back = UInt64(Double(count - 1 - index) * spacingSeconds * 1e9)
            let completion = now > back ? now - back : now
            let played = factory.makeTraces(startingAt: completion, using: &random)
            traces.append(contentsOf: Self.shifted(played, toEndBy: completion))
            index += 1
        }
        // A checkout's consumer trace may overshoot by one; drop it in place rather than copying.
        if traces.count > count { traces.removeLast(traces.count - count) }
        return traces
    }

    /// Moves a request's traces earlier so the last span ends at `end`.
    private static func shifted(_ traces: [[Span]], toEndBy end: UInt64) -> [[Span]] {
        let last = traces.lazy.flatMap { $0 }.map(\.endTimeUnixNano).max() ?? end
        guard last > end else { return traces }
        let delta = last - end
        guard traces.allSatisfy({ $0.allSatisfy { $0.startTimeUnixNano >= delta } }) else { return traces }
        return traces.map { trace in
            trace.map { span in
                var span = span
                span.startTimeUnixNano -= delta
                span.endTimeUnixNano -= delta
                span.events = span.events.map { event in
                    var event = event
                    event.timeUnixNano -= delta
                    return event
                }
                return span
            }
        }
    }
}
