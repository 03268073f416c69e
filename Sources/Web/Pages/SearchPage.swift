import Storage

/// View model of `/search`: the form as typed, messages, the scatter chart and the result rows.
struct SearchPage: Sendable {
    /// One `<option>`.
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One trace in the result list.
    struct Row: Sendable {
        var href: String
        var traceID: String
        var shortTraceID: String
        var hasRoot: Bool
        var rootService: String
        var rootColorClass: String
        var rootOperation: String
        /// The root belongs to a service outside the requester's scope: shown as "Restricted span".
        var rootIsRestricted: Bool
        var spanCount: Int
        var errorCount: Int
        var hasErrors: Bool
        /// Spans of the trace left out by the per-trace limit; the row is marked truncated.
        var droppedSpanCount: Int
        var isTruncated: Bool
        var services: [ServiceChip]
        var duration: String
        /// Length of the duration bar relative to the slowest result, 1...100.
        var durationPercent: Int
        var start: String
        var startRelative: String
    }

    var title = "Search traces"
    var navSearch = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var form: SearchForm
    var serviceOptions: [Option]
    var operationOptions: [Option]
    var hasOperations: Bool
    var lookbackOptions: [Option]
    var isCustomRange: Bool
    var problems: [String]
    var hasProblems: Bool
    var searched: Bool
    var rows: [Row]
    var resultCount: Int
    var hasResults: Bool
    var resultsLabel: String
    var isLogScale: Bool
    var scatterSVG: String
    var linearHref: String
    var logHref: String
    var limitReached: Bool

    /// - Parameter hasRestrictedRoot: whether a result's root was hidden by the requester's scope
    ///   (`ScopedTraceReader.hasRestrictedRoot`).
    init(form: SearchForm, services: [String], operations: [String], results: [TraceSummary]?, now: UInt64,
         parameters: [(String, String)], hasRestrictedRoot: (TraceSummary) -> Bool = { _ in false }) {
        self.form = form
        var serviceOptions = [Option(value: "", label: "All services", selected: form.service.isEmpty)]
        serviceOptions += services.map { Option(value: $0, label: $0, selected: $0 == form.service) }
        if !form.service.isEmpty, !services.contains(form.service) {
            serviceOptions.append(Option(value: form.service, label: form.service + " (no spans yet)", selected: true))
        }
        self.serviceOptions = serviceOptions
        var operationOptions = [Option(value: "", label: "All operations", selected: form.operation.isEmpty)]
        operationOptions += operations.map { Option(value: $0, label: $0, selected: $0 == form.operation) }
        if !form.operation.isEmpty, !operations.contains(form.operation) {
            operationOptions.append(Option(value: form.operation, label: form.operation, selected: true))
        }
        self.operationOptions = operationOptions
        self.hasOperations = !operations.isEmpty
        self.lookbackOptions = SearchForm.lookbacks.map { Option(value: $0.value, label: $0.label, selected: $0.value == form.lookback) }
        self.isCustomRange = form.lookback == "custom"
        self.problems = form.problems
        self.hasProblems = !form.problems.isEmpty
        self.searched = results != nil
        let results = results ?? []
        let slowest = max(results.map(\.durationNanos).max() ?? 1, 1)
        self.rows = results.map { summary in
            let percent = Int((Double(summary.durationNanos) / Double(slowest) * 100).rounded(.up))
            return Row(
                href: "/trace/" + summary.traceID.hex,
                traceID: summary.traceID.hex,
                shortTraceID: String(summary.traceID.hex.prefix(8)),
                hasRoot: summary.rootService != nil,
                rootService: summary.rootService ?? "",
                rootColorClass: ServiceColor.cssClass(for: summary.rootService ?? ""),
                rootOperation: summary.rootOperation ?? "",
                rootIsRestricted: hasRestrictedRoot(summary),
                spanCount: summary.spanCount,
                errorCount: summary.errorCount,
                hasErrors: summary.errorCount > 0,
                droppedSpanCount: summary.droppedSpanCount,
                isTruncated: summary.droppedSpanCount > 0,
                services: summary.services.map { ServiceChip(name: $0.service, count: $0.spanCount) },
                duration: DurationText.format(summary.durationNanos),
                durationPercent: min(max(percent, 1), 100),
                start: TimeText.full(summary.startUnixNano),
                startRelative: TimeText.relative(summary.startUnixNano, now: now)
            )
        }
        self.resultCount = results.count
        self.hasResults = !results.isEmpty
        self.resultsLabel = results.count == 1 ? "1 trace" : "\(results.count) traces"
        self.isLogScale = form.logScale
        self.scatterSVG = ScatterChart(logScale: form.logScale).render(results)
        // Re-encoded from the decoded parameters, never copied from the raw request, so the hrefs hold
        // percent-encoded values only.
        let base = parameters.filter { $0.0 != "scale" }
            .map { HTMLEscaping.queryValue($0.0) + "=" + HTMLEscaping.queryValue($0.1) }
            .joined(separator: "&")
        self.linearHref = "/search?" + (base.isEmpty ? "" : base + "&") + "scale=linear"
        self.logHref = "/search?" + (base.isEmpty ? "" : base + "&") + "scale=log"
        self.limitReached = form.query.map { results.count >= $0.limit } ?? false
    }
}
