import Synchronization
import Testing
@testable import Bench

/// Answers from a script: every third request is refused with 429, the rest accepted.
private final class ScriptedSender: IngestSender {
    private let sent = Mutex(0)

    var count: Int { sent.withLock { $0 } }

    func send(_ body: [UInt8]) async throws -> IngestSendResult {
        let number = sent.withLock { count in
            count += 1
            return count
        }
        return number % 3 == 0 ? IngestSendResult(status: 429, retryAfterSeconds: 0) : IngestSendResult(status: 200)
    }

    func close() async {}
}

@Suite struct IngestLoadTests {
    @Test func theRequestBudgetBoundsTheLoadAndRefusalsAreCounted() async throws {
        let corpus = try IngestCorpus(protocol: .otlpProtobuf, spansPerRequest: 10, bodyCount: 2, nowUnixNano: 1_790_000_000_000_000_000)
        let sender = ScriptedSender()
        let load = IngestLoad(corpus: corpus, warmup: .zero, measured: .seconds(60), maxRequests: 30)
        let outcome = await load.run(senders: [sender, sender], atSteadyState: {}, atEnd: {})
        #expect(sender.count == 30)
        #expect(outcome.requests == 30)
        #expect(outcome.throttled429 == 10)
        #expect(outcome.acknowledgedSpans == 20 * 10)
        #expect(outcome.latency.count == 30)
        #expect(outcome.failures == 0)
    }

    @Test func requestsDuringTheWarmUpAreNotMeasured() async throws {
        let corpus = try IngestCorpus(protocol: .otlpProtobuf, spansPerRequest: 10, bodyCount: 1, nowUnixNano: 1_790_000_000_000_000_000)
        let sender = ScriptedSender()
        // The whole budget is spent long before a one-minute warm-up ends.
        let load = IngestLoad(corpus: corpus, warmup: .seconds(60), measured: .seconds(1), maxRequests: 12)
        let outcome = await load.run(senders: [sender], atSteadyState: {}, atEnd: {})
        #expect(sender.count == 12)
        #expect(outcome.requests == 0)
        #expect(outcome.acknowledgedSpans == 0)
    }
}
