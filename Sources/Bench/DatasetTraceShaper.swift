import DemoTraffic
import TraceModel

/// Builds one trace of exactly `spanCount` spans under a given trace id from demo requests laid
/// end to end: each request's spans get the trace id and fresh span ids (parents patched to
/// match), and the roots after the first become children of the first, whose end is stretched
/// to cover them all. A prefix of a request in start order keeps every span's parent, so the
/// last request can be cut short.
public struct DatasetTraceShaper: Sendable {
    public let factory: DemoTraceFactory

    public init(factory: DemoTraceFactory = DemoTraceFactory()) {
        self.factory = factory
    }

    public func trace(
        id traceID: TraceID, spanCount: Int, startingAt startUnixNano: UInt64,
        using random: inout some RandomNumberGenerator
    ) -> [Span] {
        var result: [Span] = []
        result.reserveCapacity(spanCount)
        var usedIDs = Set<SpanID>()
        var requestStart = startUnixNano
        while result.count < spanCount {
            let requests = factory.makeTraces(startingAt: requestStart, using: &random)
            for request in requests {
                let patched = Self.patch(request, traceID: traceID, under: result.first?.spanID, usedIDs: &usedIDs, using: &random)
                result.append(contentsOf: patched.prefix(spanCount - result.count))
                if result.count == spanCount { break }
            }
            requestStart += 1_000_000  // the next request 1 ms later
        }
        if let last = result.map(\.endTimeUnixNano).max(), !result.isEmpty, result[0].endTimeUnixNano < last {
            result[0].endTimeUnixNano = last
        }
        return result
    }

    /// `spans` (one demo trace) moved into `traceID` with fresh span ids; its roots hang under
    /// `parent` when one is given.
    static func patch(
        _ spans: [Span], traceID: TraceID, under parent: SpanID?, usedIDs: inout Set<SpanID>,
        using random: inout some RandomNumberGenerator
    ) -> [Span] {
        var renamed: [SpanID: SpanID] = [:]
        for span in spans {
            var fresh = SpanID(random.next())
            while !fresh.isValid || usedIDs.contains(fresh) { fresh = SpanID(random.next()) }
            usedIDs.insert(fresh)
            renamed[span.spanID] = fresh
        }
        let ordered = spans.sorted { ($0.startTimeUnixNano, $0.spanID) < ($1.startTimeUnixNano, $1.spanID) }
        return ordered.map { span in
            var patched = span
            patched.traceID = traceID
            patched.spanID = renamed[span.spanID] ?? span.spanID
            if let old = span.parentSpanID {
                patched.parentSpanID = renamed[old] ?? parent
            } else {
                patched.parentSpanID = parent
            }
            return patched
        }
    }
}
