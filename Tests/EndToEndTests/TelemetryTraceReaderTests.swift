import Storage
import Synchronization
import Testing
import TraceModel

@testable import SkeinApp

/// The reader pages and the API read through: it counts reads in flight and abandons a read
/// that waits on a database the probe finds unreachable.
@Suite struct TelemetryTraceReaderTests {
    /// `services()` waits (cancellably) until `release` is called, then answers `["cart"]`;
    /// `operations` fails at once.
    final class GatedReader: TraceReader {
        struct Broken: Error {}
        private let opened = Atomic(false)

        func release() {
            opened.store(true, ordering: .relaxed)
        }

        func services() async throws -> [String] {
            while !opened.load(ordering: .relaxed) {
                try Task.checkCancellation()
                try await Task.sleep(for: .milliseconds(5))
            }
            return ["cart"]
        }

        func operations(service: String, kind: SpanKind?) async throws -> [Storage.Operation] { throw Broken() }
        func trace(id: TraceID) async throws -> [Span] { [] }
        func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] { [] }
        func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] { [] }
        func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] { [] }
        func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] { [:] }
    }

    @Test func aReadWaitingOnAnUnreachableDatabaseIsAbandoned() async throws {
        let base = GatedReader()
        let reader = TelemetryTraceReader(base, probe: { false }, patience: .milliseconds(10))
        await #expect(throws: TelemetryTraceReader.DatabaseUnreachableError.self) {
            try await reader.services()
        }
        #expect(reader.readsInFlight == 0)
    }

    @Test func aSlowReadIsLeftToFinishWhileTheDatabaseAnswers() async throws {
        let base = GatedReader()
        let probes = Atomic<Int>(0)
        let reader = TelemetryTraceReader(base, probe: { [base] in
            // Let the read finish once it has outlived a few probes.
            if probes.add(1, ordering: .relaxed).newValue >= 3 { base.release() }
            return true
        }, patience: .milliseconds(10))
        let services = try await reader.services()
        #expect(services == ["cart"])
        #expect(probes.load(ordering: .relaxed) >= 3)
        #expect(reader.readsInFlight == 0)
    }

    @Test func aReadErrorIsPassedOnUnchanged() async throws {
        let reader = TelemetryTraceReader(GatedReader(), probe: { true }, patience: .seconds(60))
        await #expect(throws: GatedReader.Broken.self) {
            try await reader.operations(service: "cart", kind: nil)
        }
        #expect(reader.readsInFlight == 0)
    }
}
