import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TraceModel
@testable import Web

/// A trace larger than `TracePage.rowsPerWindow` is shown a window of rows at a time, with links
/// to the other windows; a selected span's window is the one shown.
@Suite struct TracePageWindowTests {
    typealias Fixture = PagesTestTraces
    static let traceID = TraceID(high: 0x5151, low: 0x5151)
    static let spanCount = 23_456

    /// One root, then chains of 50 spans under it: every window starts inside an open group.
    static func store() async throws -> InMemoryTraceStore {
        let t0 = Fixture.now - 60_000_000_000
        var spans = [Span(traceID: traceID, spanID: SpanID(1), name: "import", kind: .server,
                          startTimeUnixNano: t0, endTimeUnixNano: t0 + 30_000_000_000, resource: Fixture.resource("loader"))]
        for id in 2...spanCount {
            let parent = id % 50 == 2 ? 1 : id - 1
            let start = t0 + UInt64(id) * 1_000_000
            spans.append(Span(traceID: traceID, spanID: SpanID(UInt64(id)), parentSpanID: SpanID(UInt64(parent)),
                              name: "row \(id)", startTimeUnixNano: start, endTimeUnixNano: start + 500_000,
                              resource: Fixture.resource("svc-\(id % 3)")))
        }
        let store = InMemoryTraceStore()
        try await store.write(spans)
        return store
    }

    func get(_ uri: String, from store: InMemoryTraceStore) async throws -> (HTTPResponse.Status, String) {
        let app = try await Fixture.application(reader: store)
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in (response.status, String(buffer: response.body)) }
        }
    }

    /// Operation names of the waterfall rows.
    func rowNames(_ html: String) -> [String] {
        html.matches(of: #/<span class="wf-name d\d+">.*?<span class="op">(.*?)</span>/#).map { String($0.output.1) }
    }

    func isBalanced(_ html: String) -> Bool {
        html.components(separatedBy: "<details").count == html.components(separatedBy: "</details>").count
    }

    @Test func theFirstWindowShowsTenThousandRowsAndLinksToTheNext() async throws {
        let store = try await Self.store()
        let (status, html) = try await get("/trace/\(Self.traceID.hex)", from: store)
        #expect(status == .ok)
        let names = rowNames(html)
        #expect(names.count == TracePage.rowsPerWindow)
        #expect(names.first == "import")
        #expect(html.contains("Spans 1–10,000 of 23,456 are shown, in tree order."))
        #expect(html.contains("<a href=\"/trace/\(Self.traceID.hex)?from=10000\">Show the next 10,000 spans</a>"))
        #expect(!html.contains("Show the previous spans"))
        #expect(html.contains("<dt>Spans</dt><dd>23456</dd>"))
        #expect(isBalanced(html))
    }

    @Test func theLastWindowShowsTheRestAndLinksBack() async throws {
        let store = try await Self.store()
        let (status, html) = try await get("/trace/\(Self.traceID.hex)?from=20000", from: store)
        #expect(status == .ok)
        #expect(rowNames(html).count == Self.spanCount - 20_000)
        #expect(html.contains("Spans 20,001–23,456 of 23,456 are shown, in tree order."))
        #expect(html.contains("<a href=\"/trace/\(Self.traceID.hex)?from=10000\">Show the previous spans</a>"))
        #expect(!html.contains("Show the next"))
        #expect(isBalanced(html))
    }

    @Test func aSelectedSpanOpensTheWindowHoldingItWithItsDetails() async throws {
        let store = try await Self.store()
        let spanHex = SpanID(15_000).hex
        let (status, html) = try await get("/trace/\(Self.traceID.hex)?span=\(spanHex)", from: store)
        #expect(status == .ok)
        #expect(html.contains("Spans 10,001–20,000 of 23,456"))
        #expect(html.contains("class=\"span-detail\""))
        #expect(html.contains("<span class=\"op\">row 15000</span>"))
        // Closing the details and unselecting the row keep this window.
        #expect(html.contains("href=\"/trace/\(Self.traceID.hex)?from=10000#span-\(spanHex)\""))
        #expect(isBalanced(html))
    }

    @Test func aSmallTraceIsNotWindowedAndIgnoresFrom() async throws {
        let store = try await Fixture.filledStore()
        let (status, html) = try await get("/trace/\(Fixture.checkoutID.hex)?from=3", from: store)
        #expect(status == .ok)
        #expect(rowNames(html).count == 7)
        #expect(!html.contains("window-note"))
    }

    @Test func windowsAreClampedToTheTrace() {
        #expect(TracePage.window(spanCount: 25_000, firstRow: 99_999, selectedIndex: nil) == 24_999..<25_000)
        #expect(TracePage.window(spanCount: 25_000, firstRow: -5, selectedIndex: 3) == 0..<10_000)
        #expect(TracePage.window(spanCount: 25_000, firstRow: nil, selectedIndex: 20_000) == 20_000..<25_000)
        #expect(TracePage.window(spanCount: 9_000, firstRow: 5_000, selectedIndex: nil) == 0..<9_000)
        #expect(TracePage.grouped(1_234_567) == "1,234,567")
        #expect(TracePage.grouped(999) == "999")
    }
}
