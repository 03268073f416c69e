/// Minute arithmetic of the per-minute rollups (`rollup_*` tables, docs/storage.md "Rollups"): a
/// minute is a whole number of minutes since the Unix epoch, `floor(start_ns / 60e9)`.
public enum RollupMinutes {
    public static let nanosPerMinute: Int64 = 60_000_000_000
    /// How far a parent span may start from its child, either way, for the call to count as an
    /// edge in `dependencies` (the parent is looked up by primary key within this window).
    public static let parentWindowNanos: Int64 = 3_600_000_000_000
    /// A span marks the minutes from its start to its end, at most this many: a late parent then
    /// also re-dirties the minutes of children that started while it ran.
    static let maxMinutesMarkedPerSpan: Int64 = 60
    /// Minutes at least this old (by the database clock, in whole minutes before the current one)
    /// are marked by writers with `ON CONFLICT DO UPDATE` (the row lock orders them against the
    /// rollup job); younger ones with `DO NOTHING`, so writers do not queue on the current minute.
    static let writerLateMinutes: Int64 = 1
    /// The rollup job takes only marks of minutes at least this many minutes before the current
    /// one: two more than `writerLateMinutes`, so a writer that marked a minute as young has had
    /// at least a minute to commit before the job may take that minute.
    public static let jobGraceMinutes: Int64 = 3
    /// The last minute that can be rolled up: its nanosecond bounds still fit in Int64. Spans
    /// clamped to Int64.max (starts after 2262) are always answered live.
    static let lastMinute: Int64 = Int64.max / nanosPerMinute - 1

    /// The minute holding this instant (floor division, also before 1970).
    public static func minute(ofNanos nanos: Int64) -> Int64 {
        nanos >= 0 ? nanos / nanosPerMinute : (nanos + 1) / nanosPerMinute - 1
    }

    /// Every minute a batch touches: for each span, the minutes from its start to its end (a
    /// span that ends before it starts marks its start minute), at most `maxMinutesMarkedPerSpan`,
    /// sorted.
    static func touched(starts: [Int64], durations: [Int64]) -> [Int64] {
        var minutes = Set<Int64>()
        for (start, duration) in zip(starts, durations) {
            let first = minute(ofNanos: start)
            guard first <= lastMinute else { continue }
            let (end, overflow) = start.addingReportingOverflow(max(duration, 0))
            let last = min(overflow ? lastMinute : minute(ofNanos: end), first + maxMinutesMarkedPerSpan - 1, lastMinute)
            for m in first...max(first, last) { minutes.insert(m) }
        }
        return minutes.sorted()
    }

    /// The whole minutes inside `[start, end]` (inclusive nanoseconds), or nil when none is.
    /// Only these can be answered from rollups; the partial minutes at the edges are read live.
    static func wholeMinutes(start: Int64, end: Int64) -> ClosedRange<Int64>? {
        guard start <= end, start <= Int64.max - (nanosPerMinute - 1), end >= Int64.min + nanosPerMinute else { return nil }
        let first = minute(ofNanos: start + nanosPerMinute - 1)
        // The last minute m with m * 60e9 + 60e9 - 1 <= end.
        let last = min(minute(ofNanos: end - (nanosPerMinute - 1)), lastMinute)
        return first <= last ? first...last : nil
    }
}
