import TraceModel
import XCTest

final class TraceTreeTests: XCTestCase {
    private let traceID = TraceID(high: 0xABC, low: 0xDEF)

    private func span(
        _ id: UInt64, parent: UInt64? = nil, name: String, service: String = "api",
        start: UInt64, end: UInt64, error: Bool = false
    ) -> Span {
        Span(
            traceID: traceID, spanID: SpanID(id), parentSpanID: parent.map(SpanID.init), name: name,
            startTimeUnixNano: start, endTimeUnixNano: end,
            status: SpanStatus(code: error ? .error : .unset),
            resource: Resource(attributes: [Attribute("service.name", .string(service))])
        )
    }

    func testSpansInAnyOrderComeOutInPreOrderWithChildrenByStartTime() {
        let spans = [
            span(3, parent: 1, name: "db", service: "orders", start: 1_300, end: 1_500),
            span(2, parent: 1, name: "auth", service: "auth", start: 1_100, end: 1_200),
            span(4, parent: 3, name: "query", service: "orders", start: 1_350, end: 1_450, error: true),
            span(1, name: "GET /checkout", service: "frontend", start: 1_000, end: 2_000),
        ]
        let tree = TraceTree(spans: spans)
        XCTAssertEqual(tree.nodes.map(\.span.name), ["GET /checkout", "auth", "db", "query"])
        XCTAssertEqual(tree.nodes.map(\.depth), [0, 1, 1, 2])
        XCTAssertEqual(tree.nodes.map(\.offsetNanos), [0, 100, 300, 350])
        XCTAssertEqual(tree.nodes.map(\.descendantCount), [3, 0, 1, 0])
        XCTAssertEqual(tree.nodes[0].childIndices, [1, 2])
        XCTAssertEqual(tree.nodes[3].parentIndex, 2)
        XCTAssertEqual(tree.rootIndices, [0])
        XCTAssertEqual(tree.startUnixNano, 1_000)
        XCTAssertEqual(tree.durationNanos, 1_000)
        XCTAssertEqual(tree.maxDepth, 2)
        XCTAssertEqual(tree.spanCount, 4)
        XCTAssertEqual(tree.errorCount, 1)
        XCTAssertEqual(tree.services.map(\.service), ["auth", "frontend", "orders"])
        XCTAssertEqual(tree.services.map(\.spanCount), [1, 1, 2])
        XCTAssertEqual(tree.root?.span.name, "GET /checkout")
        XCTAssertEqual(tree.orphanCount, 0)
    }

    func testSpanWhoseParentNeverArrivedBecomesAFlaggedRoot() {
        let tree = TraceTree(spans: [
            span(1, name: "root", start: 0, end: 100),
            span(5, parent: 99, name: "lost child", start: 50, end: 60),
            span(6, parent: 5, name: "grandchild", start: 55, end: 58),
        ])
        XCTAssertEqual(tree.nodes.map(\.span.name), ["root", "lost child", "grandchild"])
        XCTAssertEqual(tree.nodes.map(\.isOrphan), [false, true, false])
        XCTAssertEqual(tree.nodes.map(\.depth), [0, 0, 1])
        XCTAssertEqual(tree.rootIndices, [0, 1])
        XCTAssertEqual(tree.orphanCount, 1)
        XCTAssertEqual(tree.root?.span.name, "root")
    }

    func testTraceWithoutItsRootHasNoRoot() {
        let tree = TraceTree(spans: [span(5, parent: 99, name: "child", start: 50, end: 60)])
        XCTAssertNil(tree.root)
        XCTAssertEqual(tree.orphanCount, 1)
    }

    func testParentCyclesAreBrokenInsteadOfLoopingForever() {
        let tree = TraceTree(spans: [
            span(1, parent: 2, name: "a", start: 10, end: 20),
            span(2, parent: 1, name: "b", start: 0, end: 30),
            span(3, parent: 3, name: "self", start: 5, end: 6),
        ])
        XCTAssertEqual(tree.spanCount, 3)
        XCTAssertEqual(Set(tree.nodes.map(\.span.name)), ["a", "b", "self"])
        XCTAssertTrue(tree.nodes.filter { $0.depth == 0 }.allSatisfy(\.isOrphan))
    }

    func testDuplicateSpanIDsKeepEveryCopyAndChildrenAttachToTheFirst() {
        let tree = TraceTree(spans: [
            span(1, name: "root", start: 0, end: 100),
            span(2, parent: 1, name: "first copy", start: 10, end: 20),
            span(2, parent: 1, name: "second copy", start: 30, end: 40),
            span(3, parent: 2, name: "child", start: 12, end: 15),
        ])
        XCTAssertEqual(tree.nodes.map(\.span.name), ["root", "first copy", "child", "second copy"])
        XCTAssertEqual(tree.nodes.map(\.isDuplicate), [false, false, false, true])
    }

    func testEmptyTraceIsEmpty() {
        let tree = TraceTree(spans: [])
        XCTAssertTrue(tree.isEmpty)
        XCTAssertEqual(tree.durationNanos, 0)
        XCTAssertNil(tree.root)
    }

    func testDeepAndWideTraceOfTenThousandSpansBuildsQuickly() {
        var spans: [Span] = [span(1, name: "root", start: 0, end: 1_000_000)]
        // A 5,000-deep chain and 5,000 siblings under the root.
        for id in 2...5_000 {
            spans.append(span(UInt64(id), parent: UInt64(id - 1), name: "chain", start: UInt64(id), end: UInt64(id + 10)))
        }
        for id in 5_001...10_000 {
            spans.append(span(UInt64(id), parent: 1, name: "wide", start: UInt64(10_001 - id), end: 20_000))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let tree = TraceTree(spans: spans.reversed())
        XCTAssertLessThan(clock.now - started, .seconds(2))
        XCTAssertEqual(tree.spanCount, 10_000)
        XCTAssertEqual(tree.maxDepth, 4_999)
        XCTAssertEqual(tree.nodes[0].descendantCount, 9_999)
    }
}
