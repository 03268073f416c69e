import TraceModel

/// View model of `/trace/{id}`: the trace header, the time ruler and the waterfall rows.
///
/// Rows are flat (pre-order); a row with children opens a `<details>` element closed after its
/// last descendant, so collapsing works without JavaScript and rendering stays linear. The rows
/// are written as HTML by `TraceWaterfall` (a template per row would cost more than everything
/// else on the page); the selected span's detail panel is rendered by the `span-detail` template
/// between `waterfallHead` (rows up to the selected one) and `waterfallTail`.
///
/// A trace of more than `rowsPerWindow` spans is shown a window of rows at a time (`?from=`, the
/// first row's place in tree order); the window holding a selected span (`?span=`) is shown when
/// no `from` is given.
struct TracePage: Sendable {
    /// Nesting `<details>` deeper than this would exceed what browsers parse; deeper rows stay flat.
    static let maxNesting = 200
    /// Indentation classes `d0` ... `d40` exist in the stylesheet; deeper rows share the last one.
    static let maxIndentClass = 40
    /// Rows rendered at once; a larger trace gets links to the previous and next windows.
    static let rowsPerWindow = 10_000

    /// A ruler tick, positioned in fifths of the trace duration.
    struct Tick: Sendable {
        var label: String
    }

    /// How the waterfall names a restricted-span placeholder.
    static let restrictedLabel = "Restricted span"

    var title: String
    var navSearch = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var traceID: String
    var hasRoot: Bool
    var rootService: String
    var rootColorClass: String
    var rootOperation: String
    /// The root span is a restricted-span placeholder.
    var rootIsRestricted: Bool
    var start: String
    var startRelative: String
    var duration: String
    var depth: Int
    var spanCount: Int
    var errorCount: Int
    var hasErrors: Bool
    var orphanCount: Int
    var hasOrphans: Bool
    /// Services of the spans the requester may see (placeholders are not counted).
    var services: [ServiceChip]
    /// Spans outside the requester's service scope, shown as placeholders.
    var restrictedCount: Int
    var hasRestricted: Bool
    var ticks: [Tick]
    /// The waterfall rows up to the selected one (every row when none is selected), as HTML.
    var waterfallHead: String
    /// The selected span's details, shown under its row (`nil`: none selected, or a placeholder).
    var detail: SpanDetail?
    /// The waterfall rows after the selected one, as HTML.
    var waterfallTail: String
    /// Only part of the rows is shown (the trace has more than `rowsPerWindow` spans).
    var isWindowed: Bool
    /// "Spans 10,001–20,000 of 100,000 are shown, in tree order."
    var windowText: String
    var hasPreviousWindow: Bool
    var previousWindowHref: String
    var hasNextWindow: Bool
    var nextWindowHref: String
    var nextWindowLabel: String
    var selectedMissing: Bool
    var selectedSpanID: String
    /// Spans of this trace that storage left out (the per-trace limit); the page says so.
    var droppedSpanCount: Int
    var isTruncated: Bool
    var truncationMessage: String

    /// - Parameters:
    ///   - droppedSpanCount: `TraceReader.droppedSpanCounts` for this trace.
    ///   - isRestricted: whether a span of the tree is a restricted-span placeholder
    ///     (`ScopedTrace.isRestrictedPlaceholder`); never decided from the span's own content.
    ///   - firstRow: `?from=`, the first row to show of a trace larger than `rowsPerWindow`.
    init(
        tree: TraceTree, traceID: TraceID, selected: SpanID?, now: UInt64, droppedSpanCount: Int = 0,
        firstRow: Int? = nil, isRestricted: (Span) -> Bool = { _ in false }
    ) {
        let root = tree.root
        let rootIsRestricted = root.map { isRestricted($0.span) } ?? false
        self.rootIsRestricted = rootIsRestricted
        self.droppedSpanCount = droppedSpanCount
        isTruncated = droppedSpanCount > 0
        truncationMessage = Self.truncationMessage(droppedSpanCount)
        self.traceID = traceID.hex
        hasRoot = root != nil
        rootService = rootIsRestricted ? "" : root?.span.serviceName ?? ""
        rootColorClass = rootIsRestricted ? "svc-restricted" : ServiceColor.cssClass(for: rootService)
        rootOperation = rootIsRestricted ? Self.restrictedLabel : root?.span.name ?? ""
        title = root.flatMap { rootIsRestricted ? nil : "\($0.span.serviceName): \($0.span.name)" }
            ?? "Trace \(traceID.hex.prefix(8))"
        start = TimeText.full(tree.startUnixNano)
        startRelative = TimeText.relative(tree.startUnixNano, now: now)
        duration = DurationText.format(tree.durationNanos)
        depth = tree.maxDepth + 1
        spanCount = tree.spanCount
        errorCount = tree.errorCount
        hasErrors = tree.errorCount > 0
        orphanCount = tree.orphanCount
        hasOrphans = orphanCount > 0
        let restrictedFlags = tree.nodes.map { isRestricted($0.span) }
        restrictedCount = restrictedFlags.reduce(0) { $0 + ($1 ? 1 : 0) }
        hasRestricted = restrictedCount > 0
        services = hasRestricted
            ? Self.serviceChips(of: zip(tree.nodes, restrictedFlags).filter { !$0.1 }.map(\.0.span))
            : tree.services.map { ServiceChip(name: $0.service, count: $0.spanCount, errorCount: $0.errorCount) }
        let total = Double(max(tree.durationNanos, 1))
        ticks = (0...4).map { Tick(label: DurationText.format(UInt64(Double(tree.durationNanos) * Double($0) / 5))) }
        selectedSpanID = selected?.hex ?? ""

        var selectedIndex: Int?
        if let selected { selectedIndex = tree.index(of: selected) }
        selectedMissing = selected != nil && selectedIndex == nil

        let window = Self.window(spanCount: tree.nodes.count, firstRow: firstRow, selectedIndex: selectedIndex)
        let traceHex = traceID.hex
        var waterfall = TraceWaterfall(
            tree: tree, traceHex: traceHex, window: window, selectedIndex: selectedIndex,
            restrictedFlags: restrictedFlags, totalNanos: total)
        waterfall.write()
        waterfallHead = waterfall.head
        waterfallTail = waterfall.tail
        if let selectedIndex, window.contains(selectedIndex), !restrictedFlags[selectedIndex] {
            var detail = SpanDetail(node: tree.nodes[selectedIndex], tree: tree)
            if window.lowerBound > 0 {
                detail.closeHref = Self.windowHref(traceHex, from: window.lowerBound) + "#span-" + detail.spanID
            }
            self.detail = detail
        } else {
            detail = nil
        }

        isWindowed = window.count < tree.nodes.count
        windowText = isWindowed
            ? "Spans \(Self.grouped(window.lowerBound + 1))–\(Self.grouped(window.upperBound)) of "
                + "\(Self.grouped(tree.nodes.count)) are shown, in tree order."
            : ""
        hasPreviousWindow = window.lowerBound > 0
        previousWindowHref = Self.windowHref(traceHex, from: max(window.lowerBound - Self.rowsPerWindow, 0))
        hasNextWindow = window.upperBound < tree.nodes.count
        nextWindowHref = Self.windowHref(traceHex, from: window.upperBound)
        let nextCount = min(Self.rowsPerWindow, tree.nodes.count - window.upperBound)
        nextWindowLabel = "Show the next \(Self.grouped(nextCount)) span\(nextCount == 1 ? "" : "s")"
    }

    /// The rows shown: `rowsPerWindow` rows from `firstRow` (clamped), else the window holding the
    /// selected row, else the first.
    static func window(spanCount: Int, firstRow: Int?, selectedIndex: Int?) -> Range<Int> {
        guard spanCount > rowsPerWindow else { return 0..<spanCount }
        let start: Int
        if let firstRow {
            start = min(max(firstRow, 0), spanCount - 1)
        } else if let selectedIndex {
            start = selectedIndex / rowsPerWindow * rowsPerWindow
        } else {
            start = 0
        }
        return start..<min(start + rowsPerWindow, spanCount)
    }

    /// The trace page showing the window that starts at row `from`.
    static func windowHref(_ traceHex: String, from: Int) -> String {
        from > 0 ? "/trace/\(traceHex)?from=\(from)" : "/trace/\(traceHex)"
    }

    /// 12,345 (thousands grouped with commas).
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// Chips for the services of `spans`, by name, with span and error counts.
    static func serviceChips(of spans: [Span]) -> [ServiceChip] {
        Dictionary(grouping: spans, by: \.serviceName)
            .sorted { $0.key < $1.key }
            .map { ServiceChip(name: $0.key, count: $0.value.count, errorCount: $0.value.filter(\.isError).count) }
    }

    /// "N spans of this trace were not stored ...": the trace is shown without them.
    static func truncationMessage(_ dropped: Int) -> String {
        guard dropped > 0 else { return "" }
        let spans = dropped == 1 ? "1 span of this trace was" : "\(dropped) spans of this trace were"
        return "\(spans) not stored: the trace reached the per-trace span limit, so later spans were dropped. "
            + "What is shown here is incomplete."
    }
}
