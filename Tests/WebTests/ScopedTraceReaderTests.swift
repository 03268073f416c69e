import Accounts
import Storage
import Testing
import TraceModel
@testable import Web

/// `ScopedTraceReader` over the in-memory store filled with the pages' fixture: a checkout trace
/// (frontend → cart, frontend → payments, errors in frontend and payments), a cart trace without
/// its root, and a frontend health check.
@Suite struct ScopedTraceReaderTests {
    typealias Fixture = PagesTestTraces

    static let wholeDay = (start: Fixture.now - 86_400_000_000_000, end: Fixture.now + 1)

    func reader(_ patterns: [String]) async throws -> (base: InMemoryTraceStore, scoped: ScopedTraceReader) {
        let base = try await Fixture.filledStore()
        return (base, ScopedTraceReader(base: base, scope: .services(patterns)))
    }

    func query(service: String? = nil, attributes: [String: String] = [:], errorsOnly: Bool = false, limit: Int = 20) -> TraceQuery {
        TraceQuery(
            service: service, attributes: attributes, startMinUnixNano: Self.wholeDay.start,
            startMaxUnixNano: Self.wholeDay.end, errorsOnly: errorsOnly, limit: limit)
    }

    @Test func anUnrestrictedScopeGetsTheBaseReaderItself() async throws {
        let base = try await Fixture.filledStore()
        let reader = ScopedTraceReader.reader(base: base, scope: .unrestricted)
        #expect((reader as? InMemoryTraceStore) === base)
        #expect(ScopedTraceReader.reader(base: base, scope: .services(["*"])) is ScopedTraceReader)
    }

    @Test func anUnrestrictedScopedReaderAnswersExactlyAsTheBase() async throws {
        let base = try await Fixture.filledStore()
        let scoped = ScopedTraceReader(base: base, scope: .unrestricted)
        #expect(try await scoped.services() == base.services())
        #expect(try await scoped.trace(id: Fixture.checkoutID) == base.trace(id: Fixture.checkoutID))
        #expect(try await scoped.scopedTrace(id: Fixture.checkoutID).restrictedSpanIDs.isEmpty)
        #expect(try await scoped.findTraces(query()) == base.findTraces(query()))
        let window = Self.wholeDay
        #expect(try await scoped.dependencies(startUnixNano: window.start, endUnixNano: window.end)
            == base.dependencies(startUnixNano: window.start, endUnixNano: window.end))
    }

    @Test func servicesAreOnlyThoseThePatternsAllow() async throws {
        #expect(try await reader(["pay*"]).scoped.services() == ["payments"])
        #expect(try await reader(["*t*"]).scoped.services() == ["cart", "frontend", "payments"])
        #expect(try await reader(["cart", "front*"]).scoped.services() == ["cart", "frontend"])
        #expect(try await reader(["Cart"]).scoped.services() == [])
        #expect(try await reader([]).scoped.services() == [])
    }

    @Test func operationsOfADisallowedServiceAreEmpty() async throws {
        let (base, scoped) = try await reader(["cart"])
        #expect(try await scoped.operations(service: "payments", kind: nil) == [])
        #expect(try await scoped.operations(service: "cart", kind: nil) == base.operations(service: "cart", kind: nil))
        #expect(try await !scoped.operations(service: "cart", kind: .server).isEmpty)
    }

    @Test func spansOfDisallowedServicesBecomePlaceholdersWithIdsAndTimingOnly() async throws {
        let (base, scoped) = try await reader(["frontend"])
        let original = try await base.trace(id: Fixture.checkoutID)
        let trace = try await scoped.scopedTrace(id: Fixture.checkoutID)
        #expect(trace.spans.count == original.count)
        #expect(trace.restrictedSpanIDs == [SpanID(0x2003), SpanID(0x2004), SpanID(0x3006), SpanID(0x3007)])
        for (shown, span) in zip(trace.spans, original) {
            #expect(shown.traceID == span.traceID)
            #expect(shown.spanID == span.spanID)
            #expect(shown.parentSpanID == span.parentSpanID)
            #expect(shown.startTimeUnixNano == span.startTimeUnixNano)
            #expect(shown.endTimeUnixNano == span.endTimeUnixNano)
            if span.serviceName == "frontend" {
                #expect(shown == span)
                #expect(!trace.isRestrictedPlaceholder(shown))
            } else {
                #expect(trace.isRestrictedPlaceholder(shown))
                #expect(shown.name == "restricted")
                #expect(shown.serviceName == "restricted")
                #expect(shown.resource.attributes.map(\.key) == ["service.name"])
                #expect(shown.kind == .unspecified)
                #expect(shown.attributes.isEmpty && shown.events.isEmpty && shown.links.isEmpty)
                #expect(shown.status == SpanStatus())
                #expect(!shown.isError)
                #expect(shown.scope == InstrumentationScope())
                #expect(shown.traceState.isEmpty && shown.flags == 0)
            }
        }
        #expect(try await scoped.trace(id: Fixture.checkoutID) == trace.spans)
    }

    @Test func aTraceWithoutAnAllowedSpanIsNotFound() async throws {
        let (_, scoped) = try await reader(["payments"])
        #expect(try await scoped.trace(id: Fixture.refreshID).isEmpty)
        #expect(try await scoped.scopedTrace(id: Fixture.healthID).isEmpty)
        let found = try await scoped.traces(ids: [Fixture.checkoutID, Fixture.refreshID, Fixture.healthID])
        #expect(Set(found.keys) == [Fixture.checkoutID])
        #expect(found[Fixture.checkoutID]?.filter { $0.name == "restricted" }.count == 5)
        #expect(try await Set(scoped.scopedTraces(ids: [Fixture.refreshID, Fixture.checkoutID]).keys) == [Fixture.checkoutID])
    }

    @Test func anIngestedSpanNamedRestrictedIsNeverTakenForAPlaceholder() async throws {
        let store = InMemoryTraceStore()
        let id = TraceID(high: 7, low: 7)
        let forged = Span(
            traceID: id, spanID: SpanID(1), name: "restricted", kind: .unspecified, startTimeUnixNano: 10,
            endTimeUnixNano: 20, resource: Resource(attributes: [Attribute("service.name", .string("restricted"))]))
        try await store.write([forged])
        let allowed = try await ScopedTraceReader(base: store, scope: .services(["restricted"])).scopedTrace(id: id)
        #expect(allowed.spans == [forged])
        #expect(!allowed.isRestrictedPlaceholder(forged))
        let unrestricted = try await ScopedTraceReader(base: store, scope: .unrestricted).scopedTrace(id: id)
        #expect(!unrestricted.isRestrictedPlaceholder(forged))
    }

    @Test func aSpanSharingItsIdWithAHiddenDuplicateKeepsItsContent() throws {
        // A store that keeps duplicate span ids across services hands both to the reader.
        let id = TraceID(high: 8, low: 8)
        func span(_ service: String, _ name: String) -> Span {
            Span(traceID: id, spanID: SpanID(1), name: name, startTimeUnixNano: 10, endTimeUnixNano: 20,
                 resource: Resource(attributes: [Attribute("service.name", .string(service))]))
        }
        let scoped = ScopedTraceReader(base: InMemoryTraceStore(), scope: .services(["web"]))
        let trace = try #require(scoped.restrict([span("web", "GET /"), span("db", "SELECT")]))
        #expect(trace.spans.count == 2)
        #expect(trace.restrictedSpanIDs == [SpanID(1)])
        #expect(trace.spans.filter { !trace.isRestrictedPlaceholder($0) }.map(\.name) == ["GET /"])
        #expect(trace.spans.filter(trace.isRestrictedPlaceholder).map(\.name) == ["restricted"])
        #expect(!trace.spans.contains { $0.name == "SELECT" })
    }

    @Test func aSearchForADisallowedServiceFindsNothing() async throws {
        let (_, scoped) = try await reader(["cart"])
        #expect(try await scoped.findTraces(query(service: "payments")).isEmpty)
        #expect(try await scoped.findTraces(query(service: "frontend")).isEmpty)
    }

    @Test func aTraceIsFoundOnlyThroughSpansOfAllowedServices() async throws {
        let (_, cartOnly) = try await reader(["cart"])
        // The only error spans and the only 500 are in frontend and payments.
        #expect(try await cartOnly.findTraces(query(errorsOnly: true)).isEmpty)
        #expect(try await cartOnly.findTraces(query(attributes: ["http.status_code": "500"])).isEmpty)
        let (_, paymentsOnly) = try await reader(["pay*"])
        #expect(try await paymentsOnly.findTraces(query(errorsOnly: true)).map(\.traceID) == [Fixture.checkoutID])
    }

    @Test func summariesCountOnlyAllowedSpansAndHideARestrictedRoot() async throws {
        let (base, scoped) = try await reader(["payments"])
        let whole = try #require(try await base.findTraces(query(service: "payments")).first)
        let summary = try #require(try await scoped.findTraces(query(service: "payments")).first)
        #expect(summary.traceID == Fixture.checkoutID)
        #expect(summary.rootService == "restricted")
        #expect(summary.rootOperation == "restricted")
        #expect(summary.spanCount == 2)
        #expect(summary.errorCount == 1)
        #expect(summary.services == [ServiceSpanCount(service: "payments", spanCount: 2)])
        #expect(summary.startUnixNano == whole.startUnixNano && summary.endUnixNano == whole.endUnixNano)
        #expect(scoped.hasRestrictedRoot(summary))
        // Where the scope allows a service named `restricted`, such a root may be real: shown as is.
        #expect(!ScopedTraceReader(base: base, scope: .services(["payments", "restricted"])).hasRestrictedRoot(summary))

        let (_, frontend) = try await reader(["frontend"])
        let rooted = try #require(try await frontend.findTraces(query(service: "frontend")).first { $0.traceID == Fixture.checkoutID })
        #expect(rooted.rootService == "frontend")
        #expect(rooted.rootOperation == "GET /checkout")
        #expect(rooted.spanCount == 3)
        #expect(rooted.errorCount == 1)
        #expect(!frontend.hasRestrictedRoot(rooted))
    }

    @Test func aSearchWithoutAServiceMergesAllowedServicesNewestFirstUpToTheLimit() async throws {
        let (_, scoped) = try await reader(["cart", "frontend"])
        let all = try await scoped.findTraces(query())
        #expect(all.map(\.traceID) == [Fixture.healthID, Fixture.checkoutID, Fixture.refreshID])
        #expect(try await scoped.findTraces(query(limit: 2)).map(\.traceID) == [Fixture.healthID, Fixture.checkoutID])
        #expect(try await scoped.findTraces(query(limit: 0)).isEmpty)
        #expect(try await reader([]).scoped.findTraces(query()).isEmpty)
    }

    @Test func dependenciesKeepOnlyEdgesWithBothEndsAllowed() async throws {
        let (base, scoped) = try await reader(["frontend", "cart"])
        let window = Self.wholeDay
        let all = try await base.dependencies(startUnixNano: window.start, endUnixNano: window.end)
        #expect(all.contains { $0.parent == "frontend" && $0.child == "payments" })
        let shown = try await scoped.dependencies(startUnixNano: window.start, endUnixNano: window.end)
        #expect(shown.contains { $0.parent == "frontend" && $0.child == "cart" })
        #expect(shown == all.filter { $0.parent != "payments" && $0.child != "payments" })
    }

    @Test func serviceActivityListsOnlyAllowedServices() async throws {
        let (_, scoped) = try await reader(["pay*", "cart"])
        let window = Self.wholeDay
        let activity = try await scoped.serviceActivity(startUnixNano: window.start, endUnixNano: window.end)
        #expect(Set(activity.map(\.service)) == ["cart", "payments"])
    }

    @Test func droppedSpanCountsAreGivenOnlyForTracesTheCallerMaySee() async throws {
        let store = InMemoryTraceStore()
        let id = TraceID(high: 9, low: 9)
        let payments = Resource(attributes: [Attribute("service.name", .string("payments"))])
        let spans = (1...3).map {
            Span(traceID: id, spanID: SpanID(UInt64($0)), name: "charge", startTimeUnixNano: 10,
                 endTimeUnixNano: 20, resource: payments)
        }
        _ = try await store.write(spans, limits: WriteLimits(maxSpansPerTrace: 2))
        #expect(try await store.droppedSpanCounts(ids: [id]) == [id: 1])
        #expect(try await ScopedTraceReader(base: store, scope: .services(["payments"])).droppedSpanCounts(ids: [id]) == [id: 1])
        #expect(try await ScopedTraceReader(base: store, scope: .services(["frontend"])).droppedSpanCounts(ids: [id]).isEmpty)
    }
}
