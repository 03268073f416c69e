import Foundation
import Hummingbird
import Logging
import Mustache
import Storage
import TraceModel
@testable import Web

/// Realistic traces for the page tests: a checkout across three services, an orphaned refresh, a health check.
enum PagesTestTraces {
    /// 2025-11-21 04:40:00 UTC.
    static let now: UInt64 = 1_763_700_000_000_000_000
    static let checkoutID = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
    static let refreshID = TraceID(high: 0x0000_0000_0000_0000, low: 0x5b8e_fff7_9803_8103)
    static let healthID = TraceID(high: 0x1234_5678_9abc_def0, low: 0x0fed_cba9_8765_4321)
    static let linkedTraceID = TraceID(high: 0xfeed, low: 0xbeef)
    static let xssName = "<script>alert(1)</script>"
    static let xssAttribute = "\"><img src=x onerror=alert(1)>"

    static func resource(_ service: String) -> Resource {
        Resource(attributes: [
            Attribute("service.name", .string(service)),
            Attribute("host.name", .string("\(service)-7f9c")),
        ])
    }

    static let ms: UInt64 = 1_000_000

    static func checkout() -> [Span] {
        let t0 = now - 120_000_000_000
        let frontend = resource("frontend"), cart = resource("cart"), payments = resource("payments")
        let scope = InstrumentationScope(name: "io.opentelemetry.http", version: "1.32.0", attributes: [Attribute("lib.flavour", .string("auto"))])
        func span(_ id: UInt64, _ parent: UInt64?, _ name: String, _ kind: SpanKind, _ resource: Resource,
                  _ start: UInt64, _ end: UInt64, attributes: [Attribute] = [], events: [SpanEvent] = [],
                  links: [SpanLink] = [], status: SpanStatus = SpanStatus()) -> Span {
            Span(
                traceID: checkoutID, spanID: SpanID(id), parentSpanID: parent.map(SpanID.init), traceState: "vendor=abc",
                flags: 1, name: name, kind: kind, startTimeUnixNano: t0 + start * ms, endTimeUnixNano: t0 + end * ms,
                attributes: attributes, events: events, links: links, status: status, resource: resource, scope: scope
            )
        }
        return [
            span(0x1001, nil, "GET /checkout", .server, frontend, 0, 120, attributes: [
                Attribute("http.method", .string("GET")), Attribute("http.route", .string("/checkout")),
                Attribute("http.status_code", .int(500)),
            ], status: SpanStatus(code: .error, message: "upstream failed")),
            span(0x1002, 0x1001, "POST cart.get", .client, frontend, 5, 30),
            span(0x2003, 0x1002, "CartService/Get", .server, cart, 8, 28, attributes: [
                Attribute("cart.items", .array([.string("sku-1"), .int(2)])),
                Attribute("cart.owner", .keyValueList([Attribute("id", .int(42)), Attribute("tier", .string("gold"))])),
                Attribute("cache.ratio", .double(0.25)),
            ], events: [SpanEvent(timeUnixNano: t0 + 9 * ms, name: "cache miss", attributes: [Attribute("cache.key", .string("cart:42"))])]),
            span(0x2004, 0x2003, "SELECT carts", .client, cart, 10, 25, attributes: [
                Attribute("db.statement", .string("SELECT * FROM carts WHERE id = $1")),
            ]),
            span(0x1005, 0x1001, "POST payments.charge", .client, frontend, 35, 110),
            span(0x3006, 0x1005, "PaymentService/Charge", .server, payments, 40, 105, events: [
                SpanEvent(timeUnixNano: t0 + 100 * ms, name: "exception", attributes: [Attribute("exception.message", .string("card declined"))]),
            ], links: [SpanLink(traceID: linkedTraceID, spanID: SpanID(0xabc), attributes: [Attribute("link.reason", .string("retry of"))])],
               status: SpanStatus(code: .error, message: "card declined")),
            span(0x3007, 0x3006, xssName, .internal, payments, 50, 60, attributes: [Attribute("note", .string(xssAttribute))]),
        ]
    }

    static func refresh() -> [Span] {
        let t0 = now - 1_200_000_000_000
        return [
            Span(traceID: refreshID, spanID: SpanID(0x20), parentSpanID: SpanID(0xdead_beef), name: "CartService/Refresh",
                 kind: .server, startTimeUnixNano: t0, endTimeUnixNano: t0 + 40 * ms, resource: resource("cart")),
            Span(traceID: refreshID, spanID: SpanID(0x21), parentSpanID: SpanID(0x20), name: "UPDATE carts",
                 kind: .client, startTimeUnixNano: t0 + 5 * ms, endTimeUnixNano: t0 + 30 * ms, resource: resource("cart")),
        ]
    }

    static func health() -> [Span] {
        let t0 = now - 30_000_000_000
        return [Span(traceID: healthID, spanID: SpanID(0x30), name: "GET /health", kind: .server,
                     startTimeUnixNano: t0, endTimeUnixNano: t0 + 2 * ms, resource: resource("frontend"))]
    }

    static func filledStore() async throws -> InMemoryTraceStore {
        let store = InMemoryTraceStore()
        try await store.write(checkout() + refresh() + health())
        return store
    }

    static var templatesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates").path
    }

    /// The pages on a router, as the app mounts them, reading from `reader`.
    static func application(reader: any TraceReader) async throws -> some ApplicationProtocol {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: templatesDirectory)
        let router = Router()
        PagesController<BasicRequestContext>(
            reader: reader, templates: templates, logger: Logger(label: "pages-test"), now: { now }
        ).addRoutes(to: router)
        return Application(router: router)
    }
}
