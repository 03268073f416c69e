import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
@testable import Web

/// `/admin/audit` against the PostgreSQL account store: filters, paging and the CSV export, whose
/// cells cannot become spreadsheet formulas.
@Suite struct AdminAuditPageTests {
    static func application(_ database: AdminTestDatabase, as user: User) async throws -> some ApplicationProtocol {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let principal = database.principal(user)
        let router = Router()
        AdminAuditController<BasicRequestContext>(
            store: database.store, templates: templates,
            access: AdminAccess(principal: { _ in principal }, csrf: { _ in nil }, clientAddress: { _ in "192.0.2.9" }),
            logger: Logger(label: "test")
        ).addRoutes(to: router)
        return Application(router: router)
    }

    @Test func csvCellsThatCouldBeFormulasAreDefusedAndQuotedAsNeeded() {
        #expect(AuditCSV.cell("=HYPERLINK(\"http://evil\")") == "\"'=HYPERLINK(\"\"http://evil\"\")\"")
        #expect(AuditCSV.cell("+1") == "'+1")
        #expect(AuditCSV.cell("-2+3") == "'-2+3")
        #expect(AuditCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(AuditCSV.cell("\tcmd") == "'\tcmd")
        #expect(AuditCSV.cell("a,b") == "\"a,b\"")
        #expect(AuditCSV.cell("plain") == "plain")
        #expect(AuditCSV.cell("") == "")
    }

    @Test func theCSVExportDefusesFormulasAndIsItselfAudited() async throws {
        try await AdminTestDatabase.with { database in
            let admin = database.principal(database.admin)
            try await database.store.appendAudit(AuditEvent(principal: admin, action: .tokenCreated, target: "=cmd|' /C calc'!A0"))
            try await database.store.appendAudit(AuditEvent(principal: admin, action: .tokenRevoked, target: "@evil, \"quoted\""))
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/audit?format=csv", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                    let lines = String(buffer: response.body).components(separatedBy: "\r\n")
                    #expect(lines.first == "time,actor,action,target,before,after,client_address")
                    #expect(lines.contains { $0.contains(",token.created,'=cmd|' /C calc'!A0,") })
                    #expect(lines.contains { $0.contains(#",token.revoked,"'@evil, ""quoted""","#) })
                    #expect(!lines.contains { $0.contains(",=cmd") || $0.contains(",@evil") })
                }
            }
            let exports = try await database.store.auditEvents(AuditQuery(actions: [.export]))
            #expect(exports.events.count == 1)
            #expect(exports.events.first?.actorName == "ada")
            #expect(exports.events.first?.clientAddress == "192.0.2.9")
        }
    }

    @Test func thePageFiltersByUserAndActionAndPagesWithTheCursor() async throws {
        try await AdminTestDatabase.with { database in
            let admin = database.principal(database.admin)
            let viewer = database.principal(database.viewer)
            for index in 0..<55 {
                try await database.store.appendAudit(AuditEvent(principal: admin, action: .searchRun, target: "search-\(index)"))
            }
            try await database.store.appendAudit(AuditEvent(principal: viewer, action: .searchRun, target: "viewer-search"))
            try await database.store.appendAudit(AuditEvent(principal: admin, action: .logout))
            let app = try await Self.application(database, as: database.admin)
            try await app.test(.router) { client in
                let next = try await client.execute(uri: "/admin/audit?user=ada&action=search.run", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(page.contains("search-54"))
                    #expect(!page.contains("search-4<"))
                    #expect(!page.contains("viewer-search"))
                    #expect(!page.contains("<td>logout</td>"))
                    let link = try #require(page.firstMatch(of: /href="(\/admin\/audit\?[^"]*cursor=[0-9]+)"/))
                    return String(link.output.1).replacingOccurrences(of: "&amp;", with: "&")
                }
                try await client.execute(uri: next, method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("search-4<"))
                    #expect(page.contains("search-0<"))
                    #expect(!page.contains("search-54"))
                    #expect(!page.contains("rel=\"next\""))
                }
                try await client.execute(uri: "/admin/audit?action=no.such", method: .get) { response in
                    #expect(response.status == .badRequest)
                }
                try await client.execute(uri: "/admin/audit?from=2026-13-01", method: .get) { response in
                    #expect(response.status == .badRequest)
                }
            }
        }
    }

    @Test func someoneWithoutAuditReadIsRefused() async throws {
        try await AdminTestDatabase.with { database in
            let app = try await Self.application(database, as: database.viewer)
            try await app.test(.router) { client in
                try await client.execute(uri: "/admin/audit", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(uri: "/admin/audit?format=csv", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await database.store.auditEvents(AuditQuery(actions: [.export])).events.isEmpty)
        }
    }

    @Test func daysAndMinutesAreReadAsUTCRanges() throws {
        let day = try #require(AdminAuditFilter.instant("2025-11-21"))
        #expect(day.start == Date(timeIntervalSince1970: 1_763_683_200))
        #expect(day.end.timeIntervalSince(day.start) == 86_400)
        let minute = try #require(AdminAuditFilter.instant("2025-11-21T14:05"))
        #expect(minute.start == Date(timeIntervalSince1970: 1_763_683_200 + 14 * 3_600 + 5 * 60))
        #expect(AdminAuditFilter.instant("2025-02-29") == nil)
        #expect(AdminAuditFilter.instant("21.11.2026") == nil)
    }
}
