/// The spans of one trace arranged as a tree, ready to be read top to bottom as a waterfall.
///
/// Built in O(n log n) from spans in any order. Spans whose parent never arrived (or whose
/// parent chain loops back on itself) become extra roots flagged `isOrphan`; a duplicated span id
/// keeps every copy as its own row, and children attach to the first copy. Building never loops.
public struct TraceTree: Sendable {
    /// One span in the tree, with its place in the flattened pre-order `nodes`.
    public struct Node: Sendable {
        public var span: Span
        /// 0 for a root.
        public var depth: Int
        /// Index of the parent in `nodes`; `nil` for roots (including orphans).
        public var parentIndex: Int?
        /// Indices of the children in `nodes`, ordered by start time.
        public var childIndices: [Int]
        /// The span names a parent that is not in the tree (never received, or part of a cycle).
        public var isOrphan: Bool
        /// Another span with the same span id came earlier in the trace.
        public var isDuplicate: Bool
        /// Start relative to the trace start.
        public var offsetNanos: UInt64
        public var durationNanos: UInt64
        /// Number of nodes below this one; its subtree is `nodes[index + 1 ... index + descendantCount]`.
        public var descendantCount: Int
    }

    /// Span count of one service in the trace.
    public struct ServiceCount: Hashable, Sendable {
        public var service: String
        public var spanCount: Int
        public var errorCount: Int
    }

    /// Every span exactly once, in pre-order: each parent followed by its subtree, siblings by start time.
    public private(set) var nodes: [Node]
    /// Indices of the root nodes in `nodes`, by start time.
    public private(set) var rootIndices: [Int]
    public private(set) var startUnixNano: UInt64
    public private(set) var endUnixNano: UInt64
    /// Services in the trace, sorted by name.
    public private(set) var services: [ServiceCount]
    public private(set) var maxDepth: Int
    public private(set) var errorCount: Int

    public var spanCount: Int { nodes.count }
    public var durationNanos: UInt64 { endUnixNano >= startUnixNano ? endUnixNano - startUnixNano : 0 }
    public var isEmpty: Bool { nodes.isEmpty }
    /// The first non-orphan root (the span that started the trace), if it arrived.
    public var root: Node? {
        rootIndices.lazy.map { self.nodes[$0] }.first { !$0.isOrphan && $0.span.parentSpanID == nil }
    }
    /// Orphan roots: spans whose parent is not in the trace.
    public var orphanCount: Int { rootIndices.reduce(0) { $0 + (nodes[$1].isOrphan ? 1 : 0) } }

    /// Index in `nodes` of the first node with this span id.
    public func index(of spanID: SpanID) -> Int? {
        nodes.firstIndex { $0.span.spanID == spanID }
    }

    public init(spans: [Span]) {
        nodes = []
        rootIndices = []
        services = []
        maxDepth = 0
        errorCount = 0
        guard let first = spans.first else {
            startUnixNano = 0
            endUnixNano = 0
            return
        }
        var start = first.startTimeUnixNano
        var end = max(first.endTimeUnixNano, first.startTimeUnixNano)
        for span in spans {
            start = min(start, span.startTimeUnixNano)
            end = max(end, span.endTimeUnixNano, span.startTimeUnixNano)
        }
        startUnixNano = start
        endUnixNano = end

        // Resolve parents against the first copy of each span id.
        var firstIndexByID: [SpanID: Int] = [:]
        firstIndexByID.reserveCapacity(spans.count)
        var isDuplicate = [Bool](repeating: false, count: spans.count)
        for (index, span) in spans.enumerated() {
            if firstIndexByID[span.spanID] == nil {
                firstIndexByID[span.spanID] = index
            } else {
                isDuplicate[index] = true
            }
        }
        var children = [[Int]](repeating: [], count: spans.count)
        var roots: [Int] = []
        var hasParentID = [Bool](repeating: false, count: spans.count)
        for (index, span) in spans.enumerated() {
            guard let parentID = span.parentSpanID, parentID.isValid else {
                roots.append(index)
                continue
            }
            hasParentID[index] = true
            if let parent = firstIndexByID[parentID], parent != index {
                children[parent].append(index)
            } else {
                roots.append(index)
            }
        }
        let byStart: (Int, Int) -> Bool = { a, b in
            let (sa, sb) = (spans[a], spans[b])
            if sa.startTimeUnixNano != sb.startTimeUnixNano { return sa.startTimeUnixNano < sb.startTimeUnixNano }
            return a < b
        }
        for index in children.indices where children[index].count > 1 {
            children[index].sort(by: byStart)
        }
        roots.sort(by: byStart)

        var visited = [Bool](repeating: false, count: spans.count)
        var newIndex = [Int](repeating: -1, count: spans.count)
        nodes.reserveCapacity(spans.count)

        // Iterative pre-order walk from one root; `visited` guards against cycles.
        func walk(from root: Int) {
            var stack: [(span: Int, depth: Int, parent: Int?)] = [(root, 0, nil)]
            while let (index, depth, parent) = stack.popLast() {
                guard !visited[index] else { continue }
                visited[index] = true
                let span = spans[index]
                let position = nodes.count
                newIndex[index] = position
                nodes.append(Node(
                    span: span, depth: depth, parentIndex: parent, childIndices: [],
                    isOrphan: parent == nil && hasParentID[index], isDuplicate: isDuplicate[index],
                    offsetNanos: span.startTimeUnixNano - start, durationNanos: span.durationNanos,
                    descendantCount: 0
                ))
                if let parent { nodes[parent].childIndices.append(position) }
                for child in children[index].reversed() where !visited[child] {
                    stack.append((child, depth + 1, position))
                }
            }
        }
        for root in roots where !visited[root] {
            rootIndices.append(nodes.count)
            walk(from: root)
        }
        // Spans caught in a parent cycle are unreachable from any root: break each cycle at its earliest span.
        if nodes.count < spans.count {
            let unreached = spans.indices.filter { !visited[$0] }.sorted(by: byStart)
            for index in unreached where !visited[index] {
                rootIndices.append(nodes.count)
                walk(from: index)
            }
        }
        // Children were appended in walk order, which is start order; descendant counts bottom-up.
        for position in nodes.indices.reversed() {
            let node = nodes[position]
            if let parent = node.parentIndex {
                nodes[parent].descendantCount += node.descendantCount + 1
            }
        }
        var counts: [String: ServiceCount] = [:]
        for node in nodes {
            maxDepth = max(maxDepth, node.depth)
            let service = node.span.serviceName
            var count = counts[service] ?? ServiceCount(service: service, spanCount: 0, errorCount: 0)
            count.spanCount += 1
            if node.span.isError {
                count.errorCount += 1
                errorCount += 1
            }
            counts[service] = count
        }
        services = counts.values.sorted { $0.service < $1.service }
    }
}
