import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
import TraceModel
@testable import Web

/// The server-rendered pages through the router, over an in-memory store with realistic traces.
@Suite struct PagesTests {
    typealias Fixture = PagesTestTraces

    func get(_ uri: String, from reader: (any TraceReader)? = nil) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
        let store: any TraceReader = if let reader { reader } else { try await Fixture.filledStore() }
        let app = try await Fixture.application(reader: store)
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
        }
    }

    /// Span names of the waterfall rows, in page order, with their indentation depth.
    func waterfallRows(_ html: String) -> [(depth: Int, name: String)] {
        let pattern = #/<span class="wf-name d(\d+)">.*?<span class="op">(.*?)</span>/#
        return html.matches(of: pattern).map { (Int($0.output.1) ?? -1, String($0.output.2)) }
    }

    @Test func landingPageListsTheServicesSeenInTheLastDayWithTheirCounts() async throws {
        let (status, html, headers) = try await get("/")
        #expect(status == .ok)
        #expect(headers[.contentType] == "text/html; charset=utf-8")
        for service in ["frontend", "cart", "payments"] {
            #expect(html.contains("<a href=\"/search?service=\(service)&amp;lookback=24h\">\(service)</a>"))
        }
        #expect(html.contains("<td class=\"num error-text\">1</td>"))
        #expect(html.contains("action=\"/search\""))
        #expect(html.contains("/static/skein.css"))
        #expect(!html.contains("<script>"))
    }

    @Test func landingPageExplainsHowToSendSpansWhenThereAreNone() async throws {
        let (status, html, _) = try await get("/", from: InMemoryTraceStore())
        #expect(status == .ok)
        #expect(html.contains("No spans have arrived in the last 24 hours"))
        #expect(html.contains(":4318"))
        #expect(html.contains(":9411/api/v2/spans"))
    }

    @Test func searchingByServiceShowsTheTraceAndAScatterChartOfItsDuration() async throws {
        let (status, html, _) = try await get("/search?service=payments&lookback=1h")
        #expect(status == .ok)
        #expect(html.contains("<h2>1 trace</h2>"))
        #expect(html.contains("href=\"/trace/\(Fixture.checkoutID.hex)\""))
        #expect(html.contains("<svg class=\"scatter\""))
        #expect(html.contains("<a href=\"/trace/\(Fixture.checkoutID.hex)\"><circle class=\"dot err\""))
        #expect(html.contains("<span class=\"svc\">frontend</span> <span class=\"op\">GET /checkout</span>"))
        #expect(html.contains("<span class=\"error-count\">2</span>"))
        #expect(html.contains("120ms"))
        // The operations of the chosen service are offered.
        #expect(html.contains("<option value=\"PaymentService/Charge\">PaymentService/Charge</option>"))
        #expect(!html.contains(Fixture.healthID.hex))
    }

    @Test func searchWithoutAServiceListsEveryRecentTraceAndMarksMissingRoots() async throws {
        let (_, html, _) = try await get("/search")
        #expect(html.contains("<h2>3 traces</h2>"))
        #expect(html.contains("root span not received yet"))
    }

    @Test func filtersNarrowTheResults() async throws {
        let errorsOnly = try await get("/search?errors=on")
        #expect(errorsOnly.html.contains("<h2>1 trace</h2>"))
        #expect(errorsOnly.html.contains(Fixture.checkoutID.hex))

        let slow = try await get("/search?service=frontend&minDuration=100ms")
        #expect(slow.html.contains("<h2>1 trace</h2>"))
        #expect(slow.html.contains(Fixture.checkoutID.hex))

        let fast = try await get("/search?service=frontend&maxDuration=1.5ms")
        #expect(fast.html.contains("No traces match"))

        let byAttribute = try await get("/search?tags=http.route%3D%2Fcheckout%20http.status_code%3D500")
        #expect(byAttribute.html.contains("<h2>1 trace</h2>"))

        let byOperation = try await get("/search?service=frontend&operation=GET%20%2Fhealth")
        #expect(byOperation.html.contains("<h2>1 trace</h2>"))
        #expect(byOperation.html.contains(Fixture.healthID.hex))

        let tooEarly = try await get("/search?lookback=15m")
        #expect(tooEarly.html.contains("<h2>2 traces</h2>"))  // the refresh started 20 minutes ago, the others sooner

        let limited = try await get("/search?limit=1")
        #expect(limited.html.contains("<h2>1 trace</h2>"))
    }

    @Test func customRangeSearchesBetweenTwoUTCDates() async throws {
        // The checkout started at 04:38:00 UTC, the refresh at 04:20:00.
        let (status, html, _) = try await get("/search?lookback=custom&start=2025-11-21T04:19&end=2025-11-21T04:21")
        #expect(status == .ok)
        #expect(html.contains("<h2>1 trace</h2>"))
        #expect(html.contains(Fixture.refreshID.hex))
    }

    @Test func unreadableDurationShowsAMessageInThePageInsteadOfAServerError() async throws {
        let (status, html, _) = try await get("/search?minDuration=fast&limit=abc")
        #expect(status == .badRequest)
        #expect(html.contains("The search was not run"))
        #expect(html.contains("Min duration “fast” is not a duration"))
        #expect(html.contains("Limit “abc” must be a whole number"))
        #expect(html.contains("value=\"fast\""))
    }

    @Test func attributeFilterWithoutAnEqualsSignIsExplained() async throws {
        let (status, html, _) = try await get("/search?tags=justakey")
        #expect(status == .badRequest)
        #expect(html.contains("must look like key=value"))
    }

    @Test func traceIDBoxJumpsToTheTrace() async throws {
        let (status, _, headers) = try await get("/search?trace=\(Fixture.checkoutID.hex.uppercased())")
        #expect(status == .seeOther)
        #expect(headers[.location] == "/trace/\(Fixture.checkoutID.hex)")
        let bad = try await get("/search?trace=nope")
        #expect(bad.status == .badRequest)
        #expect(bad.html.contains("is not a trace id"))
    }

    @Test func tracePageShowsEverySpanInTreeOrderWithItsDepth() async throws {
        let (status, html, _) = try await get("/trace/\(Fixture.checkoutID.hex)")
        #expect(status == .ok)
        let rows = waterfallRows(html)
        #expect(rows.map(\.name) == [
            "GET /checkout", "POST cart.get", "CartService/Get", "SELECT carts",
            "POST payments.charge", "PaymentService/Charge", "&lt;script&gt;alert(1)&lt;/script&gt;",
        ])
        #expect(rows.map(\.depth) == [0, 1, 2, 3, 1, 2, 3])
        // Header facts.
        #expect(html.contains("<dt>Spans</dt><dd>7</dd>"))
        #expect(html.contains("<dt>Depth</dt><dd>4</dd>"))
        #expect(html.contains("<dt>Duration</dt><dd>120ms</dd>"))
        // Subtrees collapse without JavaScript: one <details> per span with children, all closed again.
        #expect(html.components(separatedBy: "<details open class=\"grp\">").count - 1 == 5)
        #expect(html.components(separatedBy: "</details>").count - 1 == 5)
        // Bars are placed by offset and width: POST payments.charge starts 35ms into 120ms.
        #expect(html.contains("x=\"29.167%\" width=\"62.5%\""))
        // Each row links to its own detail.
        #expect(html.contains("href=\"/trace/\(Fixture.checkoutID.hex)?span=0000000000003006#span-0000000000003006\""))
    }

    @Test func selectingASpanShowsItsAttributesEventsLinksResourceAndScope() async throws {
        let (_, cart, _) = try await get("/trace/\(Fixture.checkoutID.hex)?span=0000000000002003")
        #expect(cart.contains("class=\"span-detail\""))
        #expect(cart.contains("<th scope=\"row\">cart.items</th><td class=\"val\">[&quot;sku-1&quot;, 2]</td><td class=\"type\">array[2]</td>"))
        #expect(cart.contains("<th scope=\"row\">cart.owner.tier</th><td class=\"val\">gold</td><td class=\"type\">string</td>"))
        #expect(cart.contains("<th scope=\"row\">cache.ratio</th><td class=\"val\">0.25</td><td class=\"type\">double</td>"))
        #expect(cart.contains("<span class=\"ev-time\">+1ms</span> <strong class=\"ev-name\">cache miss</strong>"))
        #expect(cart.contains("<th scope=\"row\">cache.key</th>"))
        #expect(cart.contains("<th scope=\"row\">host.name</th><td class=\"val\">cart-7f9c</td>"))
        #expect(cart.contains("<code>io.opentelemetry.http</code>"))
        #expect(cart.contains("<code>vendor=abc</code>"))
        #expect(cart.contains("<code>0x01 (sampled)</code>"))
        #expect(cart.contains("row selected"))

        let (_, payments, _) = try await get("/trace/\(Fixture.checkoutID.hex)?span=3006")
        #expect(payments.contains("<span class=\"error-text\">error</span> — <span class=\"status-message\">card declined</span>"))
        #expect(payments.contains("href=\"/trace/\(Fixture.linkedTraceID.hex)?span=0000000000000abc#span-0000000000000abc\""))
        #expect(payments.contains("<th scope=\"row\">link.reason</th>"))
        #expect(payments.contains("<strong class=\"ev-name\">exception</strong>"))
    }

    @Test func spanWhoseParentNeverArrivedIsFlagged() async throws {
        let (status, html, _) = try await get("/trace/\(Fixture.refreshID.hex)")
        #expect(status == .ok)
        #expect(html.contains("parent 00000000deadbeef not received"))
        #expect(html.contains("Root span not received yet"))
        #expect(waterfallRows(html).map(\.depth) == [0, 1])
    }

    @Test func spanDataIsEscapedEverywhere() async throws {
        let (_, trace, _) = try await get("/trace/\(Fixture.checkoutID.hex)?span=3007")
        #expect(!trace.contains(Fixture.xssName))
        #expect(!trace.contains("<img src=x"))
        #expect(trace.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(trace.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))

        let (_, search, _) = try await get("/search?service=payments&operation=%3Cscript%3Ealert(1)%3C%2Fscript%3E&tags=a%3D%22%3E%3Cimg")
        #expect(!search.contains(Fixture.xssName))
        #expect(!search.contains("a=\"><img"))
        #expect(search.contains("a=&quot;&gt;&lt;img"))
    }

    @Test func scatterTooltipsEscapeARootSpanNamedLikeMarkup() async throws {
        let store = InMemoryTraceStore()
        let start = Fixture.now - 5_000_000_000
        try await store.write([Span(
            traceID: TraceID(high: 9, low: 9), spanID: SpanID(9), name: Fixture.xssName, kind: .server,
            startTimeUnixNano: start, endTimeUnixNano: start + 3_000_000, resource: Fixture.resource(Fixture.xssAttribute)
        )])
        let (status, html, _) = try await get("/search", from: store)
        #expect(status == .ok)
        #expect(html.contains("<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;: &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains(Fixture.xssName))
        #expect(!html.contains("<img src=x"))
        // The trace legend's service link percent-encodes the name.
        let (_, trace, _) = try await get("/trace/\(TraceID(high: 9, low: 9).hex)", from: store)
        #expect(trace.contains("href=\"/search?service=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E\""))
        #expect(!trace.contains("<img src=x"))
    }

    @Test func durationAxisSwitchesBetweenLogAndLinear() async throws {
        let (_, log, _) = try await get("/search?service=cart")
        #expect(log.contains("<strong>log</strong>"))
        #expect(log.contains("href=\"/search?service=cart&amp;scale=linear\""))
        let (_, linear, _) = try await get("/search?service=cart&scale=linear")
        #expect(linear.contains("<strong>linear</strong>"))
        #expect(linear.contains("<input type=\"hidden\" name=\"scale\" value=\"linear\">"))
        #expect(linear.contains("<svg class=\"scatter\""))
    }

    @Test func scaleLinksReEncodeTheQueryInsteadOfCopyingIt() async throws {
        let (_, html, _) = try await get("/search?service=cart&note=%22%3E%3Cb%20x%3E&scale=linear")
        #expect(html.contains("href=\"/search?service=cart&amp;note=%22%3E%3Cb%20x%3E&amp;scale=log\""))
    }

    @Test func selectingASpanThatIsNotInTheTraceSaysSo() async throws {
        let (status, html, _) = try await get("/trace/\(Fixture.checkoutID.hex)?span=0000000000009999")
        #expect(status == .ok)
        #expect(html.contains("This trace has no span <code>0000000000009999</code>."))
        #expect(!html.contains("class=\"span-detail\""))
    }

    @Test func unknownTraceShowsANotFoundPageWithALinkToSearch() async throws {
        let (status, html, _) = try await get("/trace/0123456789abcdef0123456789abcdef")
        #expect(status == .notFound)
        #expect(html.contains("Trace not found"))
        #expect(html.contains("href=\"/search\""))
    }

    @Test func malformedTraceIDShowsABadRequestPage() async throws {
        for id in ["not-hex", "00000000000000000000000000000000", "123"] {
            let (status, html, _) = try await get("/trace/\(id)")
            #expect(status == .badRequest)
            #expect(html.contains("That is not a trace id"))
        }
        let (status, _, _) = try await get("/trace/\(Fixture.checkoutID.hex)?span=zz")
        #expect(status == .badRequest)
    }

    @Test func aTenThousandSpanTraceRendersEveryRowWithBalancedNesting() async throws {
        let store = InMemoryTraceStore()
        let traceID = TraceID(high: 7, low: 7)
        let t0 = Fixture.now - 60_000_000_000
        var spans: [Span] = [Span(traceID: traceID, spanID: SpanID(1), name: "batch", kind: .server,
                                  startTimeUnixNano: t0, endTimeUnixNano: t0 + 10_000_000_000, resource: Fixture.resource("worker"))]
        for id in 2...10_000 {
            let parent = id <= 300 ? id - 1 : Int.random(in: 1..<id)
            let start = t0 + UInt64(id) * 900_000
            spans.append(Span(traceID: traceID, spanID: SpanID(UInt64(id)), parentSpanID: SpanID(UInt64(parent)),
                              name: "step \(id)", startTimeUnixNano: start, endTimeUnixNano: start + 500_000,
                              resource: Fixture.resource("svc-\(id % 5)")))
        }
        try await store.write(spans)
        let (status, html, _) = try await get("/trace/\(traceID.hex)", from: store)
        #expect(status == .ok)
        #expect(waterfallRows(html).count == 10_000)
        #expect(html.components(separatedBy: "<details").count == html.components(separatedBy: "</details>").count)
    }
}
