import TraceModel

/// View model of `/trace/{id}`: the trace header, the time ruler and the waterfall rows.
///
/// Rows are flat (pre-order); a row with children opens a `<details>` element and the rows after
/// it carry how many to close, so collapsing works without JavaScript and rendering stays linear.
struct TracePage: Sendable {
    /// Nesting `<details>` deeper than this would exceed what browsers parse; deeper rows stay flat.
    static let maxNesting = 200
    /// Indentation classes `d0` ... `d40` exist in the stylesheet; deeper rows share the last one.
    static let maxIndentClass = 40

    /// A ruler tick, positioned in fifths of the trace duration.
    struct Tick: Sendable {
        var label: String
    }

    /// One waterfall row.
    struct Row: Sendable {
        var spanID: String
        var anchor: String
        var href: String
        var name: String
        var service: String
        var colorClass: String
        var kind: String
        var depth: Int
        var indentClass: String
        /// Opens a collapsible group that holds this row's subtree.
        var opensGroup: Bool
        var childCount: Int
        var descendantCount: Int
        /// One element per group that ends after this row.
        var closers: [Closer]
        var barX: String
        var barWidth: String
        var duration: String
        var offset: String
        var isError: Bool
        var isOrphan: Bool
        var isDuplicate: Bool
        var parentSpanID: String
        var isSelected: Bool
        /// A restricted-span placeholder: shown greyed as "Restricted span", without link or detail.
        var isRestricted: Bool
        var detail: SpanDetail?
    }

    /// How the waterfall names a restricted-span placeholder.
    static let restrictedLabel = "Restricted span"

    /// Marker for one `</details>`.
    struct Closer: Sendable {}

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
    var rows: [Row]
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
    init(
        tree: TraceTree, traceID: TraceID, selected: SpanID?, now: UInt64, droppedSpanCount: Int = 0,
        isRestricted: (Span) -> Bool = { _ in false }
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

        var closeCounts = [Int](repeating: 0, count: tree.nodes.count)
        var selectedIndex: Int?
        if let selected { selectedIndex = tree.index(of: selected) }
        selectedMissing = selected != nil && selectedIndex == nil
        rows = []
        rows.reserveCapacity(tree.nodes.count)
        let traceHex = traceID.hex
        for (index, node) in tree.nodes.enumerated() {
            let span = node.span
            let opens = node.descendantCount > 0 && node.depth < Self.maxNesting
            if opens { closeCounts[index + node.descendantCount] += 1 }
            let left = Double(node.offsetNanos) / total * 100
            let width = max(Double(node.durationNanos) / total * 100, 0.15)
            let spanHex = span.spanID.hex
            let isSelected = index == selectedIndex
            let restricted = restrictedFlags[index]
            rows.append(Row(
                spanID: spanHex,
                anchor: "span-" + spanHex,
                href: restricted ? "" : TraceLink.span(spanHex, inTrace: traceHex, select: !isSelected),
                name: restricted ? Self.restrictedLabel : span.name,
                service: restricted ? "" : span.serviceName,
                colorClass: restricted ? "svc-restricted" : ServiceColor.cssClass(for: span.serviceName),
                kind: restricted ? "" : span.kind.name,
                depth: node.depth,
                indentClass: "d\(min(node.depth, Self.maxIndentClass))",
                opensGroup: opens,
                childCount: node.childIndices.count,
                descendantCount: node.descendantCount,
                closers: [],
                barX: Self.percent(min(left, 99.85)),
                barWidth: Self.percent(min(width, 100 - min(left, 99.85))),
                duration: DurationText.format(node.durationNanos),
                offset: DurationText.format(node.offsetNanos),
                isError: span.isError,
                isOrphan: node.isOrphan,
                isDuplicate: node.isDuplicate,
                parentSpanID: span.parentSpanID?.hex ?? "",
                isSelected: isSelected,
                isRestricted: restricted,
                detail: isSelected && !restricted ? SpanDetail(node: node, tree: tree) : nil
            ))
        }
        for index in rows.indices where closeCounts[index] > 0 {
            rows[index].closers = Array(repeating: Closer(), count: closeCounts[index])
        }
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

    private static func percent(_ value: Double) -> String {
        String((value * 1000).rounded() / 1000) + "%"
    }
}
