import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// Cross-site state-changing requests are refused with 403; the server's own pages, bearer-token
/// clients and safe methods pass.
@Suite struct CSRFProtectionTests {
    static func application(servesTLS: Bool = false, trustedOrigins: [String] = []) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(CSRFProtection(servesTLS: servesTLS, trustedOrigins: trustedOrigins))
        router.get("/thing") { _, _ in "read" }
        router.post("/thing") { _, _ in "changed" }
        router.put("/thing") { _, _ in "changed" }
        router.patch("/thing") { _, _ in "changed" }
        router.delete("/thing") { _, _ in "changed" }
        return Application(router: router)
    }

    /// The test client sends every request to authority `localhost` (its `Host`).
    static func status(
        _ method: HTTPRequest.Method, headers: [String: String], servesTLS: Bool = false, trustedOrigins: [String] = []
    ) async throws -> HTTPResponse.Status {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let request = fields
        return try await application(servesTLS: servesTLS, trustedOrigins: trustedOrigins).test(.router) { client in
            try await client.execute(uri: "/thing", method: method, headers: request) { $0.status }
        }
    }

    static let changingMethods: [HTTPRequest.Method] = [.post, .put, .patch, .delete]

    @Test(arguments: changingMethods)
    func aChangeWithoutAnyOriginEvidenceIsRefused(method: HTTPRequest.Method) async throws {
        #expect(try await Self.status(method, headers: [:]) == .forbidden)
    }

    @Test(arguments: changingMethods)
    func aChangeFromAnotherSiteIsRefused(method: HTTPRequest.Method) async throws {
        #expect(try await Self.status(method, headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"]) == .forbidden)
    }

    @Test(arguments: [
        "https://evil.example", "http://localhost.evil.example", "http://localhost:16687", "https://localhost",
        "null", "http://evil.example@localhost", "http://localhost/path", "", "localhost",
    ])
    func aForeignOrMalformedOriginIsRefused(origin: String) async throws {
        #expect(try await Self.status(.post, headers: ["Origin": origin]) == .forbidden)
    }

    @Test func aSameSiteButOtherOriginFetchIsRefused() async throws {
        #expect(try await Self.status(.post, headers: ["Sec-Fetch-Site": "same-site"]) == .forbidden)
    }

    @Test(arguments: changingMethods)
    func aChangeFromTheServersOwnOriginPasses(method: HTTPRequest.Method) async throws {
        #expect(try await Self.status(method, headers: ["Origin": "http://localhost"]) == .ok)
    }

    @Test func theOriginIsComparedWithoutCaseAndWithoutTheDefaultPort() async throws {
        #expect(try await Self.status(.post, headers: ["Origin": "HTTP://LocalHost"]) == .ok)
        #expect(try await Self.status(.post, headers: ["Origin": "http://localhost:80"]) == .ok)
        #expect(try await Self.status(.post, headers: ["Origin": "https://localhost:443"], servesTLS: true) == .ok)
    }

    @Test func underTLSOnlyTheHTTPSOriginIsTheServersOwn() async throws {
        #expect(try await Self.status(.post, headers: ["Origin": "https://localhost"], servesTLS: true) == .ok)
        #expect(try await Self.status(.post, headers: ["Origin": "http://localhost"], servesTLS: true) == .forbidden)
    }

    @Test func aTrustedOriginPasses() async throws {
        let proxy = ["https://skein.example.com"]
        #expect(try await Self.status(.post, headers: ["Origin": "https://skein.example.com"], trustedOrigins: proxy) == .ok)
        #expect(try await Self.status(.post, headers: ["Origin": "https://other.example.com"], trustedOrigins: proxy) == .forbidden)
    }

    @Test(arguments: ["same-origin", "none", "Same-Origin"])
    func theBrowsersSameOriginVerdictPasses(site: String) async throws {
        #expect(try await Self.status(.post, headers: ["Sec-Fetch-Site": site]) == .ok)
    }

    @Test func withoutOriginAnOwnRefererPassesAndAForeignOneIsRefused() async throws {
        #expect(try await Self.status(.post, headers: ["Referer": "http://localhost/admin/users?x=1"]) == .ok)
        #expect(try await Self.status(.post, headers: ["Referer": "http://localhost"]) == .ok)
        #expect(try await Self.status(.post, headers: ["Referer": "https://evil.example/http://localhost/"]) == .forbidden)
        #expect(try await Self.status(.post, headers: ["Referer": "/admin/users"]) == .forbidden)
    }

    @Test func aForeignOriginIsNotRescuedByAnOwnReferer() async throws {
        let headers = ["Origin": "https://evil.example", "Referer": "http://localhost/"]
        #expect(try await Self.status(.post, headers: headers) == .forbidden)
    }

    @Test(arguments: ["Bearer skein_abc123", "bearer skein_abc123"])
    func aRequestWithABearerTokenIsExempt(authorization: String) async throws {
        #expect(try await Self.status(.post, headers: ["Authorization": authorization]) == .ok)
        #expect(try await Self.status(.delete, headers: ["Authorization": authorization, "Origin": "https://evil.example"]) == .ok)
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer "])
    func otherAuthorizationSchemesAreNotExempt(authorization: String) async throws {
        #expect(try await Self.status(.post, headers: ["Authorization": authorization]) == .forbidden)
    }

    @Test(arguments: [HTTPRequest.Method.get, .head, .options])
    func safeMethodsAlwaysPassBecauseNoRouteMayChangeStateOnThem(method: HTTPRequest.Method) async throws {
        let status = try await Self.status(method, headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"])
        #expect(status != .forbidden)
    }

    @Test func theRefusalSaysWhyInPlainText() async throws {
        let fields: HTTPFields = [.origin: "https://evil.example"]
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/thing", method: .post, headers: fields) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(String(buffer: response.body).contains("did not come from Skein's own pages"))
            }
        }
    }
}

/// Form tokens derived from a session secret with HMAC-SHA256.
@Suite struct CSRFTokenTests {
    let session = CSRFToken(sessionSecret: Array(repeating: UInt8(7), count: 32))
    let otherSession = CSRFToken(sessionSecret: Array(repeating: UInt8(8), count: 32))

    @Test func aSessionsTokenIsValidForItsPurpose() {
        let token = session.token(for: "logout")
        #expect(session.isValid(token, for: "logout"))
        #expect(session.token(for: "logout") == token, "derived again, not stored")
    }

    @Test func theTokenIsURLSafeBase64OfAFullHMAC() {
        let token = session.token()
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test func anotherSessionsTokenIsRefused() {
        #expect(!session.isValid(otherSession.token(for: "logout"), for: "logout"))
    }

    @Test func aTokenForAnotherPurposeIsRefused() {
        #expect(!session.isValid(session.token(for: "logout"), for: "admin.users"))
    }

    @Test func missingMalformedAndTruncatedTokensAreRefused() {
        let token = session.token()
        for submitted in [nil, "", "not a token", String(token.dropLast()), token + "A", token + "=", "%" + token,
                          String(repeating: "A", count: 10_000)] {
            #expect(!session.isValid(submitted), "accepted \(submitted ?? "nil")")
        }
    }

    @Test func aTokenWithOneCharacterChangedIsRefused() {
        let token = session.token()
        var characters = Array(token)
        characters[10] = characters[10] == "A" ? "B" : "A"
        #expect(!session.isValid(String(characters)))
    }
}
