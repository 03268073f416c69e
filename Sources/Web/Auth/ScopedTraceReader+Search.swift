import Storage
import TraceModel

extension ScopedTraceReader {
    /// Traces found through spans of allowed services, summarised over allowed spans only (see the
    /// type's documentation). A restricted search loads the spans of the traces it returns, to
    /// count their allowed spans and errors.
    public func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] {
        if isUnrestricted { return try await base.findTraces(query) }
        guard query.limit > 0 else { return [] }
        var found: [TraceSummary]
        if let service = query.service {
            guard scope.allows(service: service) else { return [] }
            found = try await base.findTraces(query)
        } else {
            // The base reader would match any span; asking per allowed service keeps hidden spans
            // from deciding what is listed.
            var byID: [TraceID: TraceSummary] = [:]
            for service in try await services() {
                var perService = query
                perService.service = service
                for summary in try await base.findTraces(perService) where byID[summary.traceID] == nil {
                    byID[summary.traceID] = summary
                }
            }
            found = byID.values.sorted {
                ($0.startUnixNano, $0.traceID.hex) > ($1.startUnixNano, $1.traceID.hex)
            }
        }
        found = Array(found.prefix(query.limit))
        let spansByTrace = try await base.traces(ids: found.map(\.traceID))
        return found.compactMap { summary in
            spansByTrace[summary.traceID].flatMap { restrictedSummary(summary, spans: $0) }
        }
    }

    /// Whether `summary` (from this reader's `findTraces`) names a root this reader replaced by
    /// `restricted`. Only when the scope hides the service `restricted` itself: then no root of an
    /// allowed service can carry that name, so an ingested span can never pose as a hidden root.
    public func hasRestrictedRoot(_ summary: TraceSummary) -> Bool {
        summary.rootService == Self.restrictedName && !scope.allows(service: Self.restrictedName)
    }

    /// `summary` counting only the allowed spans of `spans`; nil when none is allowed.
    func restrictedSummary(_ summary: TraceSummary, spans: [Span]) -> TraceSummary? {
        let allowed = spans.filter { scope.allows(service: $0.serviceName) }
        guard !allowed.isEmpty else { return nil }
        var restricted = summary
        restricted.spanCount = allowed.count
        restricted.errorCount = allowed.reduce(0) { $0 + ($1.isError ? 1 : 0) }
        restricted.services = Dictionary(grouping: allowed, by: \.serviceName)
            .map { ServiceSpanCount(service: $0.key, spanCount: $0.value.count) }
            .sorted { $0.service < $1.service }
        if let root = summary.rootService, !scope.allows(service: root) {
            restricted.rootService = Self.restrictedName
            restricted.rootOperation = Self.restrictedName
        }
        return restricted
    }
}
