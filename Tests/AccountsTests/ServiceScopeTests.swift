import Accounts
import Testing

@Suite("Service scopes")
struct ServiceScopeTests {
    @Test("An unrestricted scope allows every service")
    func unrestrictedAllowsAll() {
        #expect(ServiceScope.unrestricted.allows(service: "checkout"))
        #expect(ServiceScope.unrestricted.allows(service: ""))
    }

    @Test("Exact patterns match the whole name, case-sensitively")
    func exactPatterns() {
        let scope = ServiceScope.services(["checkout", "payments"])
        #expect(scope.allows(service: "checkout"))
        #expect(scope.allows(service: "payments"))
        #expect(!scope.allows(service: "Checkout"))
        #expect(!scope.allows(service: "checkout-api"))
        #expect(!scope.allows(service: "check"))
    }

    @Test("A star matches any run of characters, also none", arguments: [
        ("checkout-*", "checkout-api", true),
        ("checkout-*", "checkout-", true),
        ("checkout-*", "checkout", false),
        ("*-api", "orders-api", true),
        ("*-api", "orders-api-v2", false),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "abc", true),
        ("a*b*c", "acb", false),
        ("*", "anything at all", true),
        ("**", "", true),
        ("shop.*", "shop.cart", true),
        ("shop?", "shopX", false),
    ])
    func wildcard(pattern: String, service: String, allowed: Bool) {
        #expect(ServiceScope.services([pattern]).allows(service: service) == allowed)
    }

    @Test("An empty list and the none scope allow nothing")
    func emptyAllowsNothing() {
        #expect(!ServiceScope.none.allows(service: "checkout"))
        #expect(!ServiceScope.services([]).allows(service: ""))
    }

    @Test("The union of scopes allows what any of them allows")
    func unionOfScopes() {
        let union = ServiceScope.union(of: [.services(["checkout"]), .services(["pay*"]), .services(["checkout"])])
        #expect(union == .services(["checkout", "pay*"]))
        #expect(union.allows(service: "payments"))
        #expect(!union.allows(service: "orders"))
        #expect(ServiceScope.union(of: [.services(["a"]), .unrestricted]) == .unrestricted)
        #expect(ServiceScope.union(of: []) == .none)
    }

    @Test("The intersection never allows more than either scope")
    func intersectionIsConservative() {
        let owner = ServiceScope.services(["checkout-*", "orders"])
        #expect(ServiceScope.unrestricted.intersection(owner) == owner)
        #expect(owner.intersection(.unrestricted) == owner)

        let token = ServiceScope.services(["checkout-api", "orders", "billing"])
        let both = token.intersection(owner)
        #expect(both.allows(service: "checkout-api"))
        #expect(both.allows(service: "orders"))
        #expect(!both.allows(service: "billing"))
        #expect(!both.allows(service: "checkout-web"))

        // Overlapping wildcards that neither side covers give nothing rather than too much.
        let wide = ServiceScope.services(["shop-*"]).intersection(.services(["*-api"]))
        #expect(!wide.allows(service: "shop-web"))
        #expect(!wide.allows(service: "orders-api"))
    }

    @Test("Stored patterns round-trip, nil meaning unrestricted")
    func storedPatterns() {
        #expect(ServiceScope(patterns: nil) == .unrestricted)
        #expect(ServiceScope(patterns: ["a", "b", "a"]) == .services(["a", "b"]))
        #expect(ServiceScope.services(["x"]).patterns == ["x"])
        #expect(ServiceScope.unrestricted.patterns == nil)
    }
}
