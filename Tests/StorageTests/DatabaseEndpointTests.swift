import Testing

@testable import Storage

@Suite("Database URLs")
struct DatabaseEndpointTests {
    @Test func aFullURLIsParsedIntoHostPortUserPasswordAndDatabase() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://alice:s%40cret@db.example.com:6543/traces?sslmode=disable")
        #expect(endpoint.address == .tcp(host: "db.example.com", port: 6543))
        #expect(endpoint.username == "alice")
        #expect(endpoint.password == "s@cret")
        #expect(endpoint.database == "traces")
        #expect(endpoint.tlsMode == .disable)
    }

    @Test func thePostgresqlSchemeAndDefaultsWork() throws {
        let endpoint = try DatabaseEndpoint(url: "postgresql://bob@localhost/skein")
        #expect(endpoint.address == .tcp(host: "localhost", port: 5432))
        #expect(endpoint.password == nil)
        #expect(endpoint.tlsMode == .prefer)
    }

    @Test func sslmodeRequireAsksForTLS() throws {
        #expect(try DatabaseEndpoint(url: "postgres://u@h/d?sslmode=require").tlsMode == .require)
        #expect(try DatabaseEndpoint(url: "postgres://u@h/d?sslmode=verify-full").tlsMode == .require)
    }

    @Test func aHostQueryItemSelectsAUnixSocket() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://skein@/skein?host=/var/run/postgresql")
        #expect(endpoint.address == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
    }

    @Test func anIPv6HostLosesItsBrackets() throws {
        #expect(try DatabaseEndpoint(url: "postgres://u@[::1]:5433/d").address == .tcp(host: "::1", port: 5433))
    }

    @Test func malformedURLsAreRejectedWithAHelpfulMessage() {
        for url in ["mysql://u@h/d", "not a url", "postgres://h/d", "postgres://u@h/d?sslmode=sometimes"] {
            #expect(throws: DatabaseEndpointError.self, "\(url)") { try DatabaseEndpoint(url: url) }
        }
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://alice:topsecret@db:5432/traces")
        #expect(!endpoint.description.contains("topsecret"))
    }
}
