import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import Testing
import TraceModel
@testable import Web

/// Reads of trace data in the audit log, through the UI router and the PostgreSQL account store:
/// a trace shown or fetched (`trace.viewed`), a search run (`search.run`), a trace downloaded
/// (`export`) and a read token's use (`token.used`, once a minute per token).
@Suite struct ReadAuditTests {
    static let readActions: Set<AuditAction> = [.traceViewed, .searchRun, .export, .tokenUsed]
    static let traceHex = PagesTestTraces.checkoutID.hex

    /// A viewer's session on an app holding the checkout trace.
    static func viewerApp(_ database: WebTestDatabase) async throws -> (AuthTestApp, User, String) {
        let app = try await AuthTestApp(database: database)
        try await app.traces.write(PagesTestTraces.checkout())
        let vera = try await app.makeUser("vera", role: .viewer)
        return (app, vera, try await app.sessionCookie(for: vera))
    }

    /// The read entries of the log, oldest first.
    static func reads(_ app: AuthTestApp) async throws -> [AuditEvent] {
        try await app.store.auditEvents(AuditQuery(actions: readActions, limit: 500)).events.reversed()
    }

    static func get(_ uri: String, headers: HTTPFields, app: AuthTestApp) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        try await Application(router: try await app.router()).test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                (response.status, response.headers, String(buffer: response.body))
            }
        }
    }

    @Test func aTracePageViewIsRecordedOnceWithTheTraceIDAndTheViewer() async throws {
        try await WebTestDatabase.with { database in
            let (app, vera, cookie) = try await Self.viewerApp(database)
            let (status, _, html) = try await Self.get("/trace/\(Self.traceHex)", headers: [.cookie: cookie], app: app)
            #expect(status == .ok)
            #expect(html.contains("href=\"/api/traces/\(Self.traceHex)?download=1\""))
            let reads = try await Self.reads(app)
            #expect(reads.map(\.action) == [.traceViewed])
            #expect(reads.first?.target == Self.traceHex)
            #expect(reads.first?.actorName == "vera")
            #expect(reads.first?.actorUserID == vera.id)
            #expect(reads.first?.clientAddress != nil)
        }
    }

    @Test func aTraceThatIsNotFoundOrAMalformedIDIsNotRecordedAsViewed() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            let missing = TraceID(high: 1, low: 2).hex
            #expect(try await Self.get("/trace/\(missing)", headers: [.cookie: cookie], app: app).0 == .notFound)
            #expect(try await Self.get("/trace/zz", headers: [.cookie: cookie], app: app).0 == .badRequest)
            #expect(try await Self.get("/api/traces/\(missing)", headers: [.cookie: cookie], app: app).0 == .notFound)
            #expect(try await Self.reads(app).isEmpty)
        }
    }

    @Test func aSearchWithFiltersIsRecordedWithACompactDescription() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            let uri = "/search?service=frontend&operation=GET+%2Fcheckout&tags=http.status_code%3D500&errors=on&lookback=1h"
            #expect(try await Self.get(uri, headers: [.cookie: cookie], app: app).0 == .ok)
            let reads = try await Self.reads(app)
            #expect(reads.map(\.action) == [.searchRun])
            let target = try #require(reads.first?.target)
            #expect(target.hasPrefix("service=frontend operation=\"GET /checkout\" tags=http.status_code=500 errors from="))
            #expect(target.hasSuffix(" limit=20"))
        }
    }

    @Test func theBareSearchPageAndASearchWithProblemsAreNotRecorded() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            #expect(try await Self.get("/search", headers: [.cookie: cookie], app: app).0 == .ok)
            #expect(try await Self.get("/search?minDuration=soon", headers: [.cookie: cookie], app: app).0 == .badRequest)
            #expect(try await Self.reads(app).isEmpty)
        }
    }

    @Test func anAPISearchAndAnAPITraceFetchAreRecorded() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            #expect(try await Self.get("/api/traces?service=cart&lookback=2h", headers: [.cookie: cookie], app: app).0 == .ok)
            #expect(try await Self.get("/api/traces?traceID=\(Self.traceHex)", headers: [.cookie: cookie], app: app).0 == .ok)
            #expect(try await Self.get("/api/traces/\(Self.traceHex)", headers: [.cookie: cookie], app: app).0 == .ok)
            #expect(try await Self.get("/api/traces?lookback=2h", headers: [.cookie: cookie], app: app).0 == .badRequest)
            let reads = try await Self.reads(app)
            #expect(reads.map(\.action) == [.searchRun, .searchRun, .traceViewed])
            #expect(reads.first?.target?.hasPrefix("service=cart from=") == true)
            #expect(reads.dropFirst().first?.target == "traceID=\(Self.traceHex)")
            #expect(reads.last?.target == Self.traceHex)
        }
    }

    @Test func aDownloadIsTheSameJSONAsAnAttachmentAndIsRecordedAsAnExport() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            let (status, headers, body) = try await Self.get("/api/traces/\(Self.traceHex)?download=1", headers: [.cookie: cookie], app: app)
            #expect(status == .ok)
            #expect(headers[.contentDisposition] == "attachment; filename=\"trace-\(Self.traceHex).json\"")
            #expect(headers[.contentType] == "application/json")
            let reads = try await Self.reads(app)
            #expect(reads.map(\.action) == [.export])
            #expect(reads.first?.target == Self.traceHex)
            let (_, plainHeaders, plain) = try await Self.get("/api/traces/\(Self.traceHex)", headers: [.cookie: cookie], app: app)
            // The same JSON (object keys may come in another order).
            let downloaded = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? NSDictionary
            #expect(downloaded != nil)
            #expect(downloaded == (try JSONSerialization.jsonObject(with: Data(plain.utf8)) as? NSDictionary))
            #expect(plainHeaders[.contentDisposition] == nil)
        }
    }

    @Test func aReadTokenUsedFiveTimesInAMinuteIsRecordedOnce() async throws {
        try await WebTestDatabase.with { database in
            let (app, vera, _) = try await Self.viewerApp(database)
            let secret = SecretToken.generate(.read)
            try await app.store.createAPIToken(
                APIToken(name: "grafana", kind: .read, ownerUserID: vera.id, scope: .unrestricted, createdAt: Date()), secretHash: secret.hash)
            try await Application(router: try await app.router()).test(.router) { client in
                for _ in 0..<5 {
                    try await client.execute(
                        uri: "/api/traces/\(Self.traceHex)", method: .get, headers: [.authorization: "Bearer \(secret.value)"]
                    ) { response in
                        #expect(response.status == .ok)
                    }
                }
            }
            let used = try await app.store.auditEvents(AuditQuery(actions: [.tokenUsed])).events
            #expect(used.count == 1)
            #expect(used.first?.target == "grafana")
            #expect(used.first?.actorName == "token:grafana")
            #expect(used.first?.actorUserID == vera.id)
            #expect(used.first?.after == #"{"path":"/api/traces/{traceId}"}"#)
            let viewed = try await app.store.auditEvents(AuditQuery(actions: [.traceViewed])).events
            #expect(viewed.count == 5)
        }
    }

    @Test func anOTLPJSONFetchThroughTheV3APIIsRecordedAsAView() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            #expect(try await Self.get("/api/v3/traces/\(Self.traceHex)", headers: [.cookie: cookie], app: app).0 == .ok)
            let reads = try await Self.reads(app)
            #expect(reads.map(\.action) == [.traceViewed])
            #expect(reads.first?.target == Self.traceHex)
        }
    }

    @Test func aSessionRequestIsNeverRecordedAsATokenUse() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            #expect(try await Self.get("/api/services", headers: [.cookie: cookie], app: app).0 == .ok)
            #expect(try await app.store.auditEvents(AuditQuery(actions: [.tokenUsed])).events.isEmpty)
        }
    }

    @Test func aFailingAuditAppendDoesNotFailTheRead() async throws {
        try await WebTestDatabase.with { database in
            let (app, _, cookie) = try await Self.viewerApp(database)
            try await database.client.query("DROP TABLE audit_log")
            let (status, _, html) = try await Self.get("/trace/\(Self.traceHex)", headers: [.cookie: cookie], app: app)
            #expect(status == .ok)
            #expect(html.contains(Self.traceHex))
            #expect(try await Self.get("/api/traces/\(Self.traceHex)?download=1", headers: [.cookie: cookie], app: app).0 == .ok)
        }
    }
}
