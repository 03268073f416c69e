import TraceModel

/// The traces a dataset holds besides ordinary traffic, with ids derived from the seed so the
/// query and pages benchmarks can ask for them: twenty 1,000-span traces for trace-by-id, and one
/// each of 1,000, 10,000 and 100,000 spans for the trace page.
public struct DatasetKnownTraces: Sendable, Hashable {
    /// Span count of each trace-by-id trace.
    public static let byIDSpanCount = 1_000
    public static let byIDCount = 20
    /// Span counts of the trace-page traces.
    public static let pageSpanCounts = [1_000, 10_000, 100_000]

    public let byID: [TraceID]
    /// One trace id per entry of `pageSpanCounts`, in that order.
    public let pages: [TraceID]

    public init(seed: UInt64) {
        // A marker in the high word keeps these ids apart from the demo's random ones.
        let marker: UInt64 = 0x0be7_c4a2_0000_0000
        byID = (0..<Self.byIDCount).map { TraceID(high: marker | UInt64($0 + 1), low: seed &+ 0x1000 &+ UInt64($0)) }
        pages = Self.pageSpanCounts.map { TraceID(high: marker | 0xffff_0000 | UInt64($0), low: seed &+ 0x2000) }
    }

    /// The page trace of `spanCount` spans, when it is one of `pageSpanCounts`.
    public func page(spanCount: Int) -> TraceID? {
        Self.pageSpanCounts.firstIndex(of: spanCount).map { pages[$0] }
    }
}
