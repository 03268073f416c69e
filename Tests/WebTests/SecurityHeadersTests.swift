import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import Web

/// The browser security headers on every UI answer, and the templates and static files that the
/// strict Content-Security-Policy requires to be free of inline code.
@Suite struct SecurityHeadersTests {
    struct Boom: Error {}

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func application(servesTLS: Bool) async throws -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(SecurityHeadersMiddleware(servesTLS: servesTLS))
        router.middlewares.add(
            FileMiddleware(Self.repositoryRoot.appendingPathComponent("Public").path, urlBasePath: "/static", searchForIndexHtml: false))
        router.get("/page") { _, _ in "page" }
        router.get("/missing") { _, _ -> String in throw HTTPError(.notFound, message: "no such thing") }
        router.get("/boom") { _, _ -> String in throw Boom() }
        return Application(router: router)
    }

    static func headers(of uri: String, servesTLS: Bool = false) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        try await application(servesTLS: servesTLS).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, $0.headers, String(buffer: $0.body)) }
        }
    }

    @Test(arguments: ["/page", "/static/skein.css", "/missing", "/boom", "/not-a-route"])
    func everyAnswerCarriesTheStrictPolicyAndTheOtherHeaders(uri: String) async throws {
        let (_, headers, _) = try await Self.headers(of: uri)
        #expect(headers[.contentSecurityPolicy] == "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        #expect(headers[.xContentTypeOptions] == "nosniff")
        #expect(headers[SecurityHeaderName.referrerPolicy] == "same-origin")
        #expect(headers[SecurityHeaderName.frameOptions] == "DENY")
        #expect(headers[SecurityHeaderName.crossOriginOpenerPolicy] == "same-origin")
    }

    @Test func strictTransportSecurityIsSentOnlyWhenTheListenerServesTLS() async throws {
        let (_, plain, _) = try await Self.headers(of: "/page", servesTLS: false)
        #expect(plain[.strictTransportSecurity] == nil)
        let (_, secure, _) = try await Self.headers(of: "/page", servesTLS: true)
        #expect(secure[.strictTransportSecurity] == "max-age=31536000")
    }

    @Test func anUnexpectedErrorBecomesABare500WithoutItsDetails() async throws {
        let (status, _, body) = try await Self.headers(of: "/boom")
        #expect(status == .internalServerError)
        #expect(!body.contains("Boom"))
    }

    @Test func anHTTPErrorKeepsItsStatusAndMessage() async throws {
        let (status, _, body) = try await Self.headers(of: "/missing")
        #expect(status == .notFound)
        #expect(body.contains("no such thing"))
    }

    /// The policy blocks inline scripts and styles, `style=` and event-handler attributes and
    /// `javascript:` URLs: none may appear in what the pages are made of.
    @Test func templatesAndStaticFilesHoldNoInlineScriptsOrStyles() throws {
        let forbidden: [(pattern: String, what: String)] = [
            (#"<script(?![^>]*\bsrc=)[^>]*>"#, "inline <script>"),
            (#"<style\b"#, "<style> element"),
            (#"\sstyle\s*="#, "style= attribute"),
            (#"\son[a-z]+\s*="#, "event-handler attribute"),
            (#"javascript:"#, "javascript: URL"),
        ]
        var checked = 0
        for folder in ["Templates", "Public"] {
            let directory = Self.repositoryRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".mustache") || name.hasSuffix(".html") || name.hasSuffix(".js") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for (pattern, what) in forbidden {
                    let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                    let range = NSRange(text.startIndex..., in: text)
                    #expect(regex.firstMatch(in: text, range: range) == nil, "\(what) in \(folder)/\(name)")
                }
                checked += 1
            }
        }
        #expect(checked >= 10)
    }
}
