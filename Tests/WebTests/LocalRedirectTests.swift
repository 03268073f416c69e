import Testing
@testable import Web

/// The after-login `next=` target: local paths pass, everything that could leave the site is `/`.
@Suite struct LocalRedirectTests {
    @Test(arguments: [
        "/", "/search?service=cart&lookback=1h", "/trace/4bf92f3577b34da6a3ce929d0e0e4736?span=00f067aa0ba902b7",
        "/admin/users#top", "/search?tags=http.url%3Dhttps%3A%2F%2Fshop.example%2F", "/search?q=a%20b",
        "/search?next=//not-a-host-here-because-it-is-in-the-query",
    ])
    func aLocalPathIsKept(target: String) {
        #expect(LocalRedirect.target(target) == target)
    }

    @Test(arguments: [
        // Absolute and scheme-relative URLs.
        "https://evil.example", "http://evil.example/", "//evil.example", "///evil.example", "////evil.example",
        "javascript:alert(1)", "data:text/html,hi", "evil.example", "search",
        // Backslashes, which browsers read as slashes.
        "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "/a\\b",
        // Control characters and whitespace that browsers strip from URLs.
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", " //evil.example", "/ /evil.example", "/\u{0}",
        "/\u{7F}",
        // Encoded tricks.
        "/%2F%2Fevil.example", "/%2fevil.example", "/%5Cevil.example", "/%5cevil.example", "%2F%2Fevil.example",
        "/%09/evil.example", "/%0d%0a/evil.example", "/%252F%252Fevil.example", "/%25252F%25252Fevil.example",
        "/%", "/%zz", "/%C0%AF",
        // Double slashes further in, non-ASCII look-alikes.
        "/search//evil.example", "/\u{FF0F}evil.example", "/\u{2215}evil.example",
    ])
    func anythingThatCouldLeaveTheSiteBecomesTheRoot(target: String) {
        #expect(LocalRedirect.target(target) == "/")
        #expect(!LocalRedirect.isLocal(target))
    }

    @Test func missingEmptyAndOverlongTargetsBecomeTheRoot() {
        #expect(LocalRedirect.target(nil) == "/")
        #expect(LocalRedirect.target("") == "/")
        #expect(LocalRedirect.target("/" + String(repeating: "a", count: 5000)) == "/")
    }
}
