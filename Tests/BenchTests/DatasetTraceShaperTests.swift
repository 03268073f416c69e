import DemoTraffic
import Testing
import TraceModel
@testable import Bench

@Suite struct DatasetTraceShaperTests {
    let traceID = TraceID(high: 0xabc, low: 0xdef)

    @Test func aShapedTraceHasExactlyTheSpansAskedForUnderItsID() {
        var random = DemoRandom(seed: 7)
        for count in [1, 17, 1_000] {
            let spans = DatasetTraceShaper().trace(id: traceID, spanCount: count, startingAt: 1_000_000_000, using: &random)
            #expect(spans.count == count)
            #expect(spans.allSatisfy { $0.traceID == traceID })
            #expect(Set(spans.map(\.spanID)).count == count)
        }
    }

    @Test func aShapedTraceHasOneRootAndEveryParentInside() {
        var random = DemoRandom(seed: 8)
        let spans = DatasetTraceShaper().trace(id: traceID, spanCount: 2_000, startingAt: 1_000_000_000, using: &random)
        let ids = Set(spans.map(\.spanID))
        #expect(spans.filter { $0.parentSpanID == nil }.count == 1)
        #expect(spans.allSatisfy { span in span.parentSpanID.map(ids.contains) ?? true })
        #expect(spans[0].endTimeUnixNano == spans.map(\.endTimeUnixNano).max())
    }

    @Test func patchingRenamesParentsAlongWithTheirChildren() {
        let old = TraceID(high: 1, low: 1)
        let parent = Span(traceID: old, spanID: SpanID(10), name: "parent", startTimeUnixNano: 1, endTimeUnixNano: 9)
        let child = Span(traceID: old, spanID: SpanID(11), parentSpanID: SpanID(10), name: "child", startTimeUnixNano: 2, endTimeUnixNano: 3)
        var used = Set<SpanID>()
        var random = DemoRandom(seed: 1)
        let patched = DatasetTraceShaper.patch([child, parent], traceID: traceID, under: SpanID(99), usedIDs: &used, using: &random)
        #expect(patched.map(\.name) == ["parent", "child"])
        #expect(patched[0].parentSpanID == SpanID(99))
        #expect(patched[1].parentSpanID == patched[0].spanID)
        #expect(patched[0].spanID != SpanID(10))
        #expect(used.count == 2)
    }

    @Test func theSameSeedShapesTheSameTrace() {
        var first = DemoRandom(seed: 3)
        var second = DemoRandom(seed: 3)
        let shaper = DatasetTraceShaper()
        #expect(shaper.trace(id: traceID, spanCount: 300, startingAt: 5, using: &first)
            == shaper.trace(id: traceID, spanCount: 300, startingAt: 5, using: &second))
    }
}
