import Foundation
import Ingest
import Synchronization
import Testing
import TraceModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A graceful shutdown (what SIGTERM starts) under steady ingest: requests in flight are answered,
/// and every span acknowledged before the server went away is there after a restart.
@Suite struct ShutdownEndToEndTests {
    /// What the senders saw.
    final class Ledger: Sendable {
        struct Tally {
            var acked: [TraceID] = []
            /// Sent before the shutdown began and acknowledged after: in flight when it began.
            var ackedWhileShuttingDown = 0
            var refused: [Int: Int] = [:]
            var transportErrors = 0
        }

        let tally = Mutex(Tally())
        /// When `shutDown()` was called, once it was.
        let shutdownStarted = Mutex<ContinuousClock.Instant?>(nil)
    }


    @Test func requestsInFlightWhenShutdownBeginsAreAnsweredAndEveryAcknowledgedSpanSurvivesARestart() async throws {
        let skein = try await RunningSkein.start()
        let ledger = Ledger()
        let deadline = ContinuousClock.now + .seconds(60)
        let senders = Task {
            await withTaskGroup(of: Void.self) { group in
                for sender in UInt64(1)...4 {
                    group.addTask {
                        var sequence: UInt64 = 0
                        // Until the server stops answering (or a bound is reached).
                        while sequence < 5_000, ContinuousClock.now < deadline {
                            let spans = DrillTrace.spans(service: "shutdown-drill", family: 0x5D00, sender: sender, sequence: sequence, spanCount: 20)
                            sequence += 1
                            let sentAt = ContinuousClock.now
                            guard let body = try? Data(OTLPTraceCodec.encodeProtobuf(spans)) else { return }
                            do {
                                let response = try await skein.post(
                                    port: skein.otlp, path: "/v1/traces", body: body, contentType: "application/x-protobuf", timeout: 30)
                                let began = ledger.shutdownStarted.withLock { $0 }
                                ledger.tally.withLock { tally in
                                    if response.status == 200 {
                                        tally.acked.append(spans[0].traceID)
                                        if let began, sentAt < began { tally.ackedWhileShuttingDown += 1 }
                                    } else {
                                        tally.refused[response.status, default: 0] += 1
                                    }
                                }
                            } catch {
                                ledger.tally.withLock { $0.transportErrors += 1 }
                                if ledger.shutdownStarted.withLock({ $0 }) != nil { return }
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
            }
        }

        let flowing = await eventually { ledger.tally.withLock { $0.acked.count } >= 40 }
        #expect(flowing, "ingest flows before the shutdown")
        ledger.shutdownStarted.withLock { $0 = .now }
        try await skein.stop(removingData: false)
        await senders.value

        let final = ledger.tally.withLock { $0 }
        print("""
            shutdown drill: \(final.acked.count) acknowledged, \(final.ackedWhileShuttingDown) of them in flight when the \
            shutdown began, refused by status \(final.refused), \(final.transportErrors) transport errors (listener closed)
            """)
        #expect(Set(final.refused.keys).isSubset(of: [503]), "only 503 (shutting down) may refuse: \(final.refused)")

        let restarted = try await RunningSkein.start(dataDirectory: skein.dataDirectory)
        do {
            let missing = try await restarted.tracesNotStoredWhole(final.acked, spansEach: 20)
            #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        } catch {
            try await restarted.stop()
            throw error
        }
        try await restarted.stop()
    }
}
