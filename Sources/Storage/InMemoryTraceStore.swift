import Synchronization
import TraceModel

/// A process-local trace store for fast tests and `--storage memory`-style experiments.
/// It honours the same contracts as the PostgreSQL store (the conformance suite runs against both).
public final class InMemoryTraceStore: TraceWriter, TraceReader {
    private let state = Mutex(State())

    /// The stored spans and, per trace, how many spans the per-trace limit left out.
    private struct State {
        var spans: [SpanKey: Span] = [:]
        var dropped: [TraceID: Int] = [:]
    }

    public init() {}

    public func write(_ batch: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        state.withLock { state in
            var counts: [TraceID: Int] = [:]
            if limits.maxSpansPerTrace != .max {
                for key in state.spans.keys { counts[key.traceID, default: 0] += 1 }
            }
            var receipt = WriteReceipt()
            for span in batch {
                let key = SpanKey(span)
                if state.spans[key] == nil {
                    guard counts[span.traceID, default: 0] < limits.maxSpansPerTrace else {
                        receipt.spansOverTraceLimit.append(key)
                        state.dropped[span.traceID, default: 0] += 1
                        continue
                    }
                    counts[span.traceID, default: 0] += 1
                }
                state.spans[key] = span
            }
            return receipt
        }
    }

    public func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] {
        state.withLock { state in
            var counts: [TraceID: Int] = [:]
            for id in ids { counts[id] = state.dropped[id] }
            return counts
        }
    }

    private var all: [Span] { state.withLock { Array($0.spans.values) } }

    public func services() async throws -> [String] {
        Set(all.map(\.serviceName)).sorted()
    }

    public func operations(service: String, kind: SpanKind?) async throws -> [Operation] {
        let operations = all.filter { $0.serviceName == service && (kind == nil || $0.kind == kind) }
            .map { Operation(name: $0.name, kind: $0.kind) }
        return Set(operations).sorted { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }
    }

    public func trace(id: TraceID) async throws -> [Span] {
        all.filter { $0.traceID == id }.sorted(by: Self.startOrder)
    }

    public func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        let everything = all
        let matching = everything.filter { Self.matches($0, query) }
        var newestStart: [TraceID: UInt64] = [:]
        for span in matching { newestStart[span.traceID] = max(newestStart[span.traceID] ?? 0, span.startTimeUnixNano) }
        let chosen = newestStart.sorted { $0.value > $1.value }.prefix(max(query.limit, 0)).map(\.key)
        let byTrace = Dictionary(grouping: everything.filter { newestStart[$0.traceID] != nil }, by: \.traceID)
        let dropped = try await droppedSpanCounts(ids: chosen)
        return chosen.compactMap { id in byTrace[id].map { Self.summary(id, $0, droppedSpanCount: dropped[id] ?? 0) } }
    }

    public func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] {
        // As the PostgreSQL store: children started in the window, parents anywhere within
        // `RollupMinutes.parentWindowNanos` of their child.
        let everything = all
        let inWindow = everything.filter { $0.startTimeUnixNano >= startUnixNano && $0.startTimeUnixNano <= endUnixNano }
        var byID: [SpanKey: Span] = [:]
        for span in everything { byID[SpanKey(span)] = span }
        let parentWindow = UInt64(RollupMinutes.parentWindowNanos)
        var counts: [DependencyKey: Int] = [:]
        for child in inWindow {
            guard let parentID = child.parentSpanID,
                  let parent = byID[SpanKey(traceID: child.traceID, spanID: parentID)],
                  max(parent.startTimeUnixNano, child.startTimeUnixNano) - min(parent.startTimeUnixNano, child.startTimeUnixNano) <= parentWindow,
                  parent.serviceName != child.serviceName else { continue }
            counts[DependencyKey(parent: parent.serviceName, child: child.serviceName), default: 0] += 1
        }
        return counts.map { DependencyLink(parent: $0.key.parent, child: $0.key.child, callCount: $0.value) }
            .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
    }

    public func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] {
        let inWindow = all.filter { $0.startTimeUnixNano >= startUnixNano && $0.startTimeUnixNano <= endUnixNano }
        return Dictionary(grouping: inWindow, by: \.serviceName)
            .map { ServiceActivity(service: $0.key, spanCount: $0.value.count, errorCount: $0.value.filter(\.isError).count) }
            .sorted { ($1.spanCount, $0.service) < ($0.spanCount, $1.service) }
    }

    private struct DependencyKey: Hashable {
        var parent: String
        var child: String
    }

    private static func startOrder(_ a: Span, _ b: Span) -> Bool {
        (a.startTimeUnixNano, a.spanID) < (b.startTimeUnixNano, b.spanID)
    }

    private static func matches(_ span: Span, _ query: TraceQuery) -> Bool {
        guard span.startTimeUnixNano >= query.startMinUnixNano, span.startTimeUnixNano <= query.startMaxUnixNano else { return false }
        if let service = query.service, span.serviceName != service { return false }
        if let operation = query.operation, span.name != operation { return false }
        if let minimum = query.durationMinNanos, span.durationNanos < minimum { return false }
        if let maximum = query.durationMaxNanos, span.durationNanos > maximum { return false }
        if query.errorsOnly && !span.isError { return false }
        for (key, expected) in query.attributes {
            let value = span.attributes[key] ?? span.resource.attributes[key]
            guard value?.text == expected else { return false }
        }
        return true
    }

    private static func summary(_ id: TraceID, _ spans: [Span], droppedSpanCount: Int) -> TraceSummary {
        let root = spans.filter { $0.parentSpanID == nil }.min(by: startOrder)
        let services = Dictionary(grouping: spans, by: \.serviceName)
            .map { ServiceSpanCount(service: $0.key, spanCount: $0.value.count) }
            .sorted { $0.service < $1.service }
        return TraceSummary(
            traceID: id,
            startUnixNano: spans.map(\.startTimeUnixNano).min() ?? 0,
            endUnixNano: spans.map(\.endTimeUnixNano).max() ?? 0,
            rootService: root?.serviceName, rootOperation: root?.name,
            spanCount: spans.count, errorCount: spans.filter(\.isError).count, services: services,
            droppedSpanCount: droppedSpanCount)
    }
}
