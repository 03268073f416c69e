/// The time slices a trace search looks at, newest first: a short slice at the end of the window,
/// then slices each `growth` times longer, until the window's start. Together they cover the
/// window exactly once (inclusive bounds, no gaps, no overlap), so a search can stop after the
/// slice in which it has found enough traces.
struct SearchTimeSlices: Sequence, IteratorProtocol {
    /// Length of the first (newest) slice: 10 s.
    static let firstSliceNanos: Int64 = 10_000_000_000
    /// Each slice is this many times longer than the one before.
    static let growth: Int64 = 4

    /// Inclusive bounds of one slice, Unix nanoseconds as stored.
    struct Slice: Equatable {
        var start: Int64
        var end: Int64
    }

    private let windowStart: Int64
    private var nextEnd: Int64?
    private var length: Int64

    init(start: Int64, end: Int64, firstSliceNanos: Int64 = Self.firstSliceNanos) {
        windowStart = start
        nextEnd = start <= end ? end : nil
        length = Swift.max(1, firstSliceNanos)
    }

    mutating func next() -> Slice? {
        guard let end = nextEnd else { return nil }
        // end - (length - 1), saturating: the slice is [end - length + 1, end].
        let (back, overflow) = end.subtractingReportingOverflow(length - 1)
        let start = overflow || back < windowStart ? windowStart : back
        nextEnd = start > windowStart ? start - 1 : nil
        let (longer, tooLong) = length.multipliedReportingOverflow(by: Self.growth)
        length = tooLong ? .max : longer
        return Slice(start: start, end: end)
    }
}
