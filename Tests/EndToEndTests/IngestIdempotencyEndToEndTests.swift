import Foundation
import Ingest
import Storage
import Testing
import TraceModel

/// A client retrying a batch (after an error, a timeout or a lost response) must not duplicate
/// spans: each span is stored once and the trace summaries count it once.
@Suite struct IngestIdempotencyEndToEndTests {
    static let service = "idempotency-check"

    /// Two traces of four spans each; `salt` keeps batches of different tests apart.
    static func batch(salt: UInt64) -> [Span] {
        let start = WallClock.unixNanos() - 5_000_000_000
        return (1...UInt64(2)).flatMap { trace in
            let traceID = TraceID(high: 0x1DE0 + salt, low: trace)
            return (1...UInt64(4)).map { index in
                Span(
                    traceID: traceID, spanID: SpanID(salt << 32 | trace << 8 | index),
                    parentSpanID: index == 1 ? nil : SpanID(salt << 32 | trace << 8 | 1),
                    name: "step-\(index)", kind: index == 1 ? .server : .internal,
                    startTimeUnixNano: start + index * 1_000_000, endTimeUnixNano: start + 50_000_000,
                    resource: Resource(attributes: [Attribute("service.name", .string(service))]))
            }
        }
    }

    static func post(_ body: Data, to skein: RunningSkein, timeout: TimeInterval = 60) async throws -> Int {
        try await skein.post(port: skein.otlp, path: "/v1/traces", body: body, contentType: "application/x-protobuf", timeout: timeout).status
    }

    /// Each trace of `spans` reads back with exactly its spans, once, and its summary counts them once.
    static func expectStoredOnce(_ spans: [Span], in skein: RunningSkein) async throws {
        let byTrace = Dictionary(grouping: spans, by: \.traceID)
        for (traceID, sent) in byTrace {
            let trace = try await skein.getJSON("/api/traces/\(traceID.hex)")
            let read = ((trace["data"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]]) ?? []
            let readIDs = read.compactMap { $0["spanID"] as? String }
            #expect(readIDs.count == sent.count, "trace \(traceID.hex) reads back \(readIDs.count) spans")
            #expect(Set(readIDs) == Set(sent.map(\.spanID.hex)))
        }

        let now = WallClock.unixNanos()
        let summaries = try await skein.server.database.traceStore.findTraces(TraceQuery(
            service: service, startMinUnixNano: now - 3_600_000_000_000, startMaxUnixNano: now + 60_000_000_000, limit: 100))
        let counted = Dictionary(uniqueKeysWithValues: summaries.map { ($0.traceID, $0.spanCount) })
        for (traceID, sent) in byTrace {
            #expect(counted[traceID] == sent.count, "summary of \(traceID.hex) counts \(counted[traceID] ?? 0) spans")
        }
    }

    @Test func theSameBatchPostedThreeTimesAndAgainAfterALostResponseIsStoredOnce() async throws {
        try await withRunningSkein { skein in
            let spans = Self.batch(salt: 1)
            let body = Data(try OTLPTraceCodec.encodeProtobuf(spans))
            for attempt in 1...3 {
                let status = try await Self.post(body, to: skein)
                #expect(status == 200, "attempt \(attempt)")
            }
            // The client gives up before the answer comes (a lost response) and retries at once,
            // possibly while the first attempt is still being written.
            _ = try? await Self.post(body, to: skein, timeout: 0.001)
            #expect(try await Self.post(body, to: skein) == 200)

            try await Self.expectStoredOnce(spans, in: skein)
        }
    }

    @Test func theSameBatchPostedThreeTimesAtOnceIsStoredOnce() async throws {
        try await withRunningSkein { skein in
            let spans = Self.batch(salt: 2)
            let body = Data(try OTLPTraceCodec.encodeProtobuf(spans))
            // Concurrent copies may land in one coalesced write: duplicates within a batch too.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 1...3 { group.addTask { try await Self.post(body, to: skein) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == [200, 200, 200])

            try await Self.expectStoredOnce(spans, in: skein)
        }
    }
}
