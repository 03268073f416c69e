import TraceModel

/// Writes the waterfall rows of a trace page as HTML, one row per span of a window in tree order.
///
/// Each row is a `<div class="row">`, or for a span with children a `<details open class="grp">`
/// whose `<summary class="row">` is the row and which closes after the last descendant shown
/// (at the window's end at the latest; rows whose group opened before the window are not nested).
/// Span data is escaped (`HTMLOutput.text`); links hold hex ids only. The output is split after
/// the selected row, where the page puts the span's details.
struct TraceWaterfall {
    let tree: TraceTree
    let traceHex: String
    let window: Range<Int>
    let selectedIndex: Int?
    let restrictedFlags: [Bool]
    /// The trace duration in nanoseconds (at least 1), the 100 % of the bars.
    let totalNanos: Double

    /// The rows up to and including the selected one (all rows when none is selected).
    private(set) var head = ""
    /// The rows after the selected one.
    private(set) var tail = ""

    init(tree: TraceTree, traceHex: String, window: Range<Int>, selectedIndex: Int?, restrictedFlags: [Bool], totalNanos: Double) {
        self.tree = tree
        self.traceHex = traceHex
        self.window = window
        self.selectedIndex = selectedIndex
        self.restrictedFlags = restrictedFlags
        self.totalNanos = totalNanos
    }

    /// Bytes of HTML per row, about: reserved up front so a 10,000-row page does not regrow.
    static let bytesPerRow = 640

    mutating func write() {
        var output = HTMLOutput(capacity: window.count * Self.bytesPerRow)
        var closeCounts = [Int](repeating: 0, count: window.count)
        var colorClasses: [String: String] = [:]
        var selectionSplit: HTMLOutput?
        for index in window {
            let node = tree.nodes[index]
            let opens = node.descendantCount > 0 && node.depth < TracePage.maxNesting
            if opens { closeCounts[min(index + node.descendantCount, window.upperBound - 1) - window.lowerBound] += 1 }
            let restricted = restrictedFlags[index]
            let service = restricted ? "" : node.span.serviceName
            let colorClass: String
            if restricted {
                colorClass = "svc-restricted"
            } else if let known = colorClasses[service] {
                colorClass = known
            } else {
                colorClass = ServiceColor.cssClass(for: service)
                colorClasses[service] = colorClass
            }
            writeRow(node, index: index, opens: opens, restricted: restricted, service: service, colorClass: colorClass, into: &output)
            if index == selectedIndex {
                selectionSplit = output
                output = HTMLOutput(capacity: (window.upperBound - index) * Self.bytesPerRow)
            }
            for _ in 0..<closeCounts[index - window.lowerBound] { output.markup("</details>\n") }
        }
        if let selectionSplit {
            head = selectionSplit.string
            tail = output.string
        } else {
            head = output.string
            tail = ""
        }
    }

    private func writeRow(
        _ node: TraceTree.Node, index: Int, opens: Bool, restricted: Bool, service: String, colorClass: String,
        into output: inout HTMLOutput
    ) {
        let span = node.span
        let isSelected = index == selectedIndex
        let isError = span.isError
        output.markup(opens ? "<details open class=\"grp\"><summary id=\"span-" : "<div id=\"span-")
        output.hex(span.spanID.value)
        output.markup("\" class=\"row")
        if isSelected { output.markup(" selected") }
        if isError { output.markup(" err") }
        if restricted { output.markup(" restricted") }
        output.markup("\">\n<span class=\"wf-name d")
        output.decimal(min(node.depth, TracePage.maxIndentClass))
        output.markup("\"><span class=\"tog\" aria-hidden=\"true\"></span><span class=\"swatch ")
        output.trusted(colorClass)
        output.markup("\"></span>")
        if restricted {
            output.markup("<span class=\"restricted-name\" title=\"This span belongs to a service outside your access\">")
            output.text(TracePage.restrictedLabel)
            output.markup("</span>")
        } else {
            output.markup("<a href=\"/trace/")
            output.trusted(traceHex)
            if isSelected {
                // The selected row's link closes the details (keeping the window).
                if window.lowerBound > 0 {
                    output.markup("?from=")
                    output.decimal(window.lowerBound)
                }
            } else {
                output.markup("?span=")
                output.hex(span.spanID.value)
            }
            output.markup("#span-")
            output.hex(span.spanID.value)
            output.markup("\"><span class=\"svc\">")
            output.text(service)
            output.markup("</span> <span class=\"op\">")
            output.text(span.name)
            output.markup("</span></a>")
        }
        if isError { output.markup(" <span class=\"err-mark\" title=\"error\">error</span>") }
        if node.isOrphan {
            output.markup(" <span class=\"orphan\">parent ")
            if let parent = span.parentSpanID { output.hex(parent.value) }
            output.markup(" not received</span>")
        }
        if node.isDuplicate { output.markup(" <span class=\"orphan\">duplicate span id</span>") }
        if opens {
            output.markup(" <span class=\"kids\" title=\"spans below\">")
            output.decimal(node.descendantCount)
            output.markup("</span>")
        }
        let left = min(Double(node.offsetNanos) / totalNanos * 100, 99.85)
        let width = min(max(Double(node.durationNanos) / totalNanos * 100, 0.15), 100 - left)
        output.markup("</span>\n<span class=\"wf-bar\"><svg width=\"100%\" height=\"14\" aria-hidden=\"true\"><rect class=\"")
        output.trusted(colorClass)
        output.markup("\" x=\"")
        output.trusted(Self.percent(left))
        output.markup("\" width=\"")
        output.trusted(Self.percent(width))
        output.markup("\" y=\"2\" height=\"10\" rx=\"1.5\"/></svg></span>\n<span class=\"wf-dur\">")
        output.trusted(DurationText.format(node.durationNanos))
        output.markup(opens ? "</span>\n</summary>\n" : "</span>\n</div>\n")
    }

    /// A percentage with at most three decimals: `12.345%`.
    static func percent(_ value: Double) -> String {
        String((value * 1000).rounded() / 1000) + "%"
    }
}
