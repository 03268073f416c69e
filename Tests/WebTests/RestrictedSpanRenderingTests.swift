import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
import TraceModel
@testable import Web

/// The waterfall, the search page and the Jaeger API for a requester whose service scope hides
/// some services: restricted-span placeholders, and nothing of the hidden spans.
@Suite struct RestrictedSpanRenderingTests {
    typealias Fixture = PagesTestTraces

    func page(_ uri: String, scope: ServiceScope, store: InMemoryTraceStore? = nil) async throws -> (status: HTTPResponse.Status, html: String) {
        let reader = if let store { store } else { try await Fixture.filledStore() }
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: Fixture.templatesDirectory)
        let router = Router()
        PagesController<BasicRequestContext>(
            reader: reader, templates: templates, logger: Logger(label: "restricted-pages-test"), now: { Fixture.now },
            serviceScope: { _ in scope }
        ).addRoutes(to: router)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func api(_ uri: String, scope: ServiceScope) async throws -> (status: HTTPResponse.Status, json: String) {
        let router = Router()
        JaegerAPIController<BasicRequestContext>(
            reader: try await Fixture.filledStore(), logger: Logger(label: "restricted-api-test"), now: { Fixture.now },
            serviceScope: { _ in scope }
        ).addRoutes(to: router)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    /// Words that appear only in the cart and payments spans of the checkout trace.
    static let hiddenWords = [
        "CartService/Get", "SELECT carts", "cart.items", "cache miss", "PaymentService/Charge", "card declined",
        "retry of", "cart-7f9c", "payments-7f9c",
    ]

    @Test func theWaterfallShowsHiddenSpansAsGreyedRestrictedRowsWithoutTheirContent() async throws {
        let (status, html) = try await page("/trace/\(Fixture.checkoutID.hex)", scope: .services(["front*"]))
        #expect(status == .ok)
        #expect(html.matches(of: #/<span class="restricted-name" title="[^"]*">Restricted span</span>/#).count == 4)
        #expect(html.matches(of: #/class="row[^"]* restricted"/#).count == 4)
        #expect(html.contains("<span class=\"svc\">frontend</span> <span class=\"op\">GET /checkout</span>"))
        #expect(html.contains("4 span(s) belong to services outside your access"))
        #expect(html.contains("<rect class=\"svc-restricted\""))
        for word in Self.hiddenWords { #expect(!html.contains(word), "\(word) leaked") }
        #expect(!html.contains(">payments<") && !html.contains(">cart<"))
        #expect(!html.contains("span=0000000000002003"))
    }

    @Test func selectingARestrictedSpanOpensNoDetail() async throws {
        let (status, html) = try await page("/trace/\(Fixture.checkoutID.hex)?span=0000000000003006", scope: .services(["frontend"]))
        #expect(status == .ok)
        #expect(!html.contains("class=\"span-detail\""))
        for word in Self.hiddenWords { #expect(!html.contains(word), "\(word) leaked") }
    }

    @Test func aRestrictedRootIsNamedRestrictedSpanInTheHeading() async throws {
        let (status, html) = try await page("/trace/\(Fixture.checkoutID.hex)", scope: .services(["cart"]))
        #expect(status == .ok)
        #expect(html.contains("<h1><span class=\"swatch svc-restricted\"></span><span class=\"restricted-name\">Restricted span</span></h1>"))
        #expect(!html.contains("GET /checkout"))
        #expect(html.contains("<title>Trace 4bf92f35"))
    }

    @Test func aTraceWithNothingAllowedIsNotFound() async throws {
        let (status, html) = try await page("/trace/\(Fixture.refreshID.hex)", scope: .services(["payments"]))
        #expect(status == .notFound)
        #expect(!html.contains("CartService/Refresh"))
    }

    @Test func anIngestedSpanNamedRestrictedIsShownAsTheOrdinarySpanItIs() async throws {
        let store = InMemoryTraceStore()
        let id = TraceID(high: 7, low: 7)
        try await store.write([Span(
            traceID: id, spanID: SpanID(1), name: "restricted", kind: .unspecified, startTimeUnixNano: Fixture.now - 10,
            endTimeUnixNano: Fixture.now, resource: Resource(attributes: [Attribute("service.name", .string("restricted"))]))])
        for scope in [ServiceScope.unrestricted, .services(["restricted"])] {
            let (status, html) = try await page("/trace/\(id.hex)", scope: scope, store: store)
            #expect(status == .ok)
            #expect(html.contains("<span class=\"svc\">restricted</span> <span class=\"op\">restricted</span>"))
            #expect(!html.contains("Restricted span"))
        }
    }

    @Test func theSearchPageFindsNothingThroughAHiddenService() async throws {
        let hidden = try await page("/search?service=payments&lookback=1h", scope: .services(["cart"]))
        #expect(hidden.status == .ok)
        #expect(!hidden.html.contains(Fixture.checkoutID.hex))
        let shown = try await page("/search?service=cart&lookback=1h", scope: .services(["cart"]))
        #expect(shown.html.contains(Fixture.checkoutID.hex))
        #expect(!shown.html.contains("<option value=\"payments\""))
    }

    @Test func aSearchResultWhoseRootIsHiddenNamesItRestrictedSpan() async throws {
        let (status, html) = try await page("/search?service=payments&lookback=1h", scope: .services(["payments"]))
        #expect(status == .ok)
        #expect(html.contains(Fixture.checkoutID.hex))
        #expect(html.contains("<span class=\"swatch svc-restricted\"></span><span class=\"restricted-name\">Restricted span</span>"))
        #expect(!html.contains("GET /checkout"))
        #expect(!html.contains(">frontend<"))
    }

    @Test func theJaegerAPIShowsPlaceholdersAsRestrictedOperationsWithoutTags() async throws {
        let (status, json) = try await api("/api/traces/\(Fixture.checkoutID.hex)", scope: .services(["frontend"]))
        #expect(status == .ok)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let trace = try #require((body["data"] as? [[String: Any]])?.first)
        let spans = try #require(trace["spans"] as? [[String: Any]])
        let processes = try #require(trace["processes"] as? [String: [String: Any]])
        let restricted = spans.filter { $0["operationName"] as? String == "restricted" }
        #expect(spans.count == 7)
        #expect(restricted.count == 4)
        for span in restricted {
            #expect((span["tags"] as? [Any])?.isEmpty == true)
            #expect((span["logs"] as? [Any])?.isEmpty == true)
            let process = try #require(processes[span["processID"] as? String ?? ""])
            #expect(process["serviceName"] as? String == "restricted")
            #expect((process["tags"] as? [Any])?.isEmpty == true)
        }
        for word in Self.hiddenWords { #expect(!json.contains(word), "\(word) leaked") }
    }

    @Test func theJaegerAPIListsOnlyAllowedServicesAndFindsNothingThroughHiddenOnes() async throws {
        let services = try await api("/api/services", scope: .services(["cart"]))
        #expect(services.json.contains("\"cart\""))
        #expect(!services.json.contains("payments") && !services.json.contains("frontend"))
        let operations = try await api("/api/services/payments/operations", scope: .services(["cart"]))
        #expect(!operations.json.contains("PaymentService/Charge"))
        let search = try await api("/api/traces?service=payments&lookback=1h", scope: .services(["cart"]))
        #expect(!search.json.contains(Fixture.checkoutID.hex))
        let v3 = try await api("/api/v3/traces/\(Fixture.checkoutID.hex)", scope: .services(["frontend"]))
        #expect(v3.status == .ok)
        for word in Self.hiddenWords { #expect(!v3.json.contains(word), "\(word) leaked") }
    }
}
