import Testing
import TraceModel
@testable import Bench

@Suite struct DatasetShapeTests {
    @Test func slicesShareTheSpansAndTheWindowExactly() {
        let slices = DatasetTrafficSlice.split(spans: 10_001, startUnixNano: 1_000, endUnixNano: 4_000_000, parts: 3, seed: 9)
        #expect(slices.map(\.spans).reduce(0, +) == 10_001)
        #expect(slices.first?.startUnixNano == 1_000)
        #expect(slices.last?.endUnixNano == 4_000_000)
        #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.endUnixNano == $1.startUnixNano })
        #expect(Set(slices.map(\.seed)).count == 3)
    }

    @Test func aSliceProducesExactlyItsSpansInsideItsWindowInBatches() {
        let hour: UInt64 = 3_600_000_000_000
        let slice = DatasetTrafficSlice(startUnixNano: 10 * hour, endUnixNano: 11 * hour, spans: 5_000, seed: 4)
        var generator = slice.makeGenerator()
        var batches: [[Span]] = []
        while let batch = generator.next(batchSize: 1_000) { batches.append(batch) }
        let spans = batches.flatMap { $0 }
        #expect(spans.count == 5_000)
        #expect(batches.count >= 5)
        // Requests start inside the window; their spans may run a little past its end.
        #expect(spans.allSatisfy { $0.startTimeUnixNano >= 10 * hour && $0.startTimeUnixNano < 11 * hour + 60_000_000_000 })
    }

    @Test func knownTraceIDsAreDistinctAndFollowTheSeed() {
        let known = DatasetKnownTraces(seed: 42)
        let all = known.byID + known.pages
        #expect(known.byID.count == 20)
        #expect(Set(all).count == all.count)
        #expect(all.allSatisfy { $0.isValid })
        #expect(DatasetKnownTraces(seed: 42) == known)
        #expect(DatasetKnownTraces(seed: 43).byID != known.byID)
        #expect(known.page(spanCount: 10_000) == known.pages[1])
        #expect(known.page(spanCount: 5) == nil)
    }

    @Test func aStoredDatasetMatchesTheSameSizesAndSeedWhateverItsEnd() {
        let stored = DatasetParameters(spans: 200_000, hours: 24, seed: 1, endUnixNano: 100)
        #expect(DatasetParameters(spans: 200_000, hours: 24, seed: 1, endUnixNano: 999).matches(stored))
        #expect(!DatasetParameters(spans: 200_001, hours: 24, seed: 1, endUnixNano: 100).matches(stored))
        #expect(!DatasetParameters(spans: 200_000, hours: 24, seed: 2, endUnixNano: 100).matches(stored))
    }
}
