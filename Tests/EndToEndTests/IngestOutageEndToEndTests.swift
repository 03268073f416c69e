import Foundation
import Ingest
import Intake
import Synchronization
import Testing
import TraceModel

/// PostgreSQL goes away under steady OTLP/HTTP ingest and comes back: Skein answers 503 with
/// `Retry-After` meanwhile, recovers without a restart, and every acknowledged span is stored.
@Suite struct IngestOutageEndToEndTests {
    static let spansPerRequest = 5

    /// What the senders saw, and which phase of the drill it is.
    final class Ledger: Sendable {
        struct Tally {
            var acked: [TraceID] = []
            var ackedAfterRestart = 0
            var unavailable = 0
            var unavailableWithoutRetryAfter = 0
            var otherAnswers: [String] = []
            var sent = 0
            var firstUnavailableAt: ContinuousClock.Instant?
            var firstAckAfterRestartAt: ContinuousClock.Instant?
        }

        enum Phase { case before, down, restarted }

        let tally = Mutex(Tally())
        let phase = Mutex(Phase.before)
        let stopSending = Atomic(false)
    }


    /// The value of an unlabelled series in the server's `/metrics`.
    static func metric(_ name: String, of skein: RunningSkein) async throws -> Double? {
        let exposition = String(decoding: try await skein.get("/metrics").body, as: UTF8.self)
        let line = exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.dropFirst(name.count + 1)) }
    }

    @Test func aDatabaseOutageAnswers503WithRetryAfterThenRecoversWithoutLosingAcknowledgedSpans() async throws {
        try await withRunningSkein(configure: { configuration in
            // Writes stuck on the vanished server give up sooner than the 10 s default.
            configuration.ingestCapacity.writeTimeout = .seconds(2)
        }) { skein in
            let ledger = Ledger()
            let sendingDeadline = ContinuousClock.now + .seconds(90)

            let senders = Task {
                await withTaskGroup(of: Void.self) { group in
                    for sender in UInt64(1)...4 {
                        group.addTask {
                            var sequence: UInt64 = 0
                            while !ledger.stopSending.load(ordering: .relaxed), sequence < 2_000, ContinuousClock.now < sendingDeadline {
                                let spans = DrillTrace.spans(service: "outage-drill", family: 0x0E2E_0000, sender: sender, sequence: sequence, spanCount: UInt64(Self.spansPerRequest))
                                sequence += 1
                                let answer: String
                                do {
                                    let body = Data(try OTLPTraceCodec.encodeProtobuf(spans))
                                    let response = try await skein.post(
                                        port: skein.otlp, path: "/v1/traces", body: body,
                                        contentType: "application/x-protobuf", timeout: 30)
                                    let current = ledger.phase.withLock { $0 }
                                    ledger.tally.withLock { tally in
                                        tally.sent += 1
                                        switch response.status {
                                        case 200:
                                            tally.acked.append(spans[0].traceID)
                                            if current == .restarted {
                                                if tally.ackedAfterRestart == 0 { tally.firstAckAfterRestartAt = .now }
                                                tally.ackedAfterRestart += 1
                                            }
                                        case 503:
                                            if tally.unavailable == 0 { tally.firstUnavailableAt = .now }
                                            tally.unavailable += 1
                                            if Int(response.retryAfter ?? "") == nil { tally.unavailableWithoutRetryAfter += 1 }
                                        default:
                                            tally.otherAnswers.append("\(response.status): \(String(decoding: response.body, as: UTF8.self))")
                                        }
                                    }
                                    // Refused: pause a little (not the full Retry-After, to keep the drill short).
                                    if response.status != 200 { try? await Task.sleep(for: .milliseconds(50)) }
                                    continue
                                } catch {
                                    answer = "transport error: \(error)"
                                }
                                ledger.tally.withLock { $0.otherAnswers.append(answer) }
                                try? await Task.sleep(for: .milliseconds(25))
                            }
                        }
                    }
                }
            }

            let ackedBefore = await eventually { ledger.tally.withLock { $0.acked.count } >= 40 }
            #expect(ackedBefore, "ingest flows before the outage")

            let stoppedAt = ContinuousClock.now
            try await skein.stopDatabase()
            ledger.phase.withLock { $0 = .down }
            let refused = await eventually { ledger.tally.withLock { $0.unavailable } >= 10 }
            #expect(refused, "ingest answers 503 while the database is down")
            let readyWhileDown = try await skein.get("/readyz")
            #expect(readyWhileDown.status == 503)
            #expect(try await Self.metric("skein_storage_available", of: skein) == 0)

            try await skein.startDatabase()
            let restartedAt = ContinuousClock.now
            ledger.phase.withLock { $0 = .restarted }
            let recovered = await eventually(within: .seconds(90)) { ledger.tally.withLock { $0.ackedAfterRestart } >= 40 }
            #expect(recovered, "ingest answers 200 again without restarting Skein")
            let readyAfter = try await skein.get("/readyz")
            #expect(readyAfter.status == 200)
            #expect(try await Self.metric("skein_storage_available", of: skein) == 1)
            #expect(try await Self.metric("skein_storage_write_failures_total", of: skein) ?? 0 >= 1)
            #expect(try await Self.metric("skein_span_visibility_delay_seconds_count", of: skein) ?? 0 >= 1)

            ledger.stopSending.store(true, ordering: .relaxed)
            await senders.value

            let final = ledger.tally.withLock { $0 }
            let missing = try await skein.tracesNotStoredWhole(final.acked, spansEach: Self.spansPerRequest)
            print("""
                outage drill: \(final.sent) requests, \(final.acked.count) acknowledged (\(final.ackedAfterRestart) after the \
                restart), \(final.unavailable) answered 503, \(final.otherAnswers.count) other answers, \
                \(missing.count) acknowledged traces missing; first 503 \(final.firstUnavailableAt.map { stoppedAt.duration(to: $0) }.map { "\($0)" } ?? "-") \
                after the stop, first 200 \(final.firstAckAfterRestartAt.map { restartedAt.duration(to: $0) }.map { "\($0)" } ?? "-") after the restart
                """)
            #expect(final.unavailableWithoutRetryAfter == 0, "every 503 carries a Retry-After in seconds")
            #expect(final.otherAnswers.isEmpty, "\(final.otherAnswers.prefix(5))")
            #expect(missing.isEmpty, "\(missing.prefix(10))")
        }
    }
}
