import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
import TraceModel
@testable import Web

/// What pages and the Jaeger API answer when a read fails: 503 with Retry-After and a clear
/// "database unavailable" answer when PostgreSQL does not answer, 500 otherwise. (The real
/// PostgreSQL outage is exercised end to end by the queue's outage test.)
@Suite struct DatabaseUnavailablePageTests {
    /// A reader whose every read fails, as a store does while its database is away.
    struct FailingReader: TraceReader {
        struct ReadFailed: Error {}
        func services() async throws -> [String] { throw ReadFailed() }
        func operations(service: String, kind: SpanKind?) async throws -> [Storage.Operation] { throw ReadFailed() }
        func trace(id: TraceID) async throws -> [Span] { throw ReadFailed() }
        func findTraces(_ query: TraceQuery) async throws -> [TraceSummary] { throw ReadFailed() }
        func dependencies(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [DependencyLink] { throw ReadFailed() }
        func serviceActivity(startUnixNano: UInt64, endUnixNano: UInt64) async throws -> [ServiceActivity] { throw ReadFailed() }
        func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] { throw ReadFailed() }
    }

    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

    static func application(databaseReachable: Bool) async throws -> some ApplicationProtocol {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let router = Router()
        let logger = Logger(label: "database-unavailable-test")
        PagesController<BasicRequestContext>(
            reader: FailingReader(), templates: templates, logger: logger, now: { PagesTestTraces.now },
            isDatabaseReachable: { databaseReachable }
        ).addRoutes(to: router)
        JaegerAPIController<BasicRequestContext>(
            reader: FailingReader(), logger: logger, now: { PagesTestTraces.now }, isDatabaseReachable: { databaseReachable }
        ).addRoutes(to: router)
        return Application(router: router)
    }

    @Test(arguments: ["/", "/search?service=cart", "/trace/\(traceID)"])
    func pagesSayTheDatabaseIsUnavailableWhenItDoesNotAnswer(uri: String) async throws {
        try await Self.application(databaseReachable: false).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Database unavailable</h1>"))
                #expect(html.contains("keeps trying to reconnect by itself"))
                #expect(html.contains("refuses incoming spans with 503"))
                #expect(html.contains("href=\"/readyz\""))
                #expect(!html.contains("ReadFailed"), "no internals on the page")
            }
        }
    }

    @Test(arguments: ["/", "/trace/\(traceID)"])
    func aFailedReadWhileTheDatabaseAnswersIsAnInternalError(uri: String) async throws {
        try await Self.application(databaseReachable: true).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.retryAfter] == nil)
                let html = String(buffer: response.body)
                #expect(html.contains("Something went wrong"))
                #expect(!html.contains("Database unavailable"))
            }
        }
    }

    @Test(arguments: ["/api/services", "/api/traces/\(traceID)", "/api/traces?service=cart"])
    func theAPIAnswersJaegersErrorJSONWith503WhenTheDatabaseDoesNotAnswer(uri: String) async throws {
        try await Self.application(databaseReachable: false).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(body["data"] is NSNull)
                let errors = try #require(body["errors"] as? [[String: Any]])
                #expect(errors.count == 1)
                #expect(errors.first?["code"] as? Int == 503)
                #expect(errors.first?["msg"] as? String == "database unavailable")
            }
        }
    }

    @Test func theAPIAnswers500WhenTheDatabaseAnswersButTheReadFailed() async throws {
        try await Self.application(databaseReachable: true).test(.router) { client in
            try await client.execute(uri: "/api/services", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.retryAfter] == nil)
            }
        }
    }
}
