/// The kinds of request the demo shop serves, with how often each happens.
public enum DemoScenario: String, Sendable, CaseIterable {
    /// Product listings; the catalogue reads through Redis (hits and misses).
    case browseCatalogue
    /// A product page: catalogue and stock fetched concurrently; the stock query is rarely slow.
    case viewProduct
    /// A product page where the first catalogue call fails with 503 and is retried.
    case flakyCatalogue
    /// Stock availability, whose inventory query often takes 1–3 s.
    case slowStockCheck
    /// auth → orders → inventory → payments → Kafka → notifications.
    case checkout
    /// A checkout whose card is declined: an error with an exception event.
    case paymentDeclined
    /// A login with a wrong password: 401 and an error on auth.
    case loginFailure

    /// Relative frequency.
    public var weight: Int {
        switch self {
        case .browseCatalogue: return 34
        case .viewProduct: return 22
        case .flakyCatalogue: return 5
        case .slowStockCheck: return 5
        case .checkout: return 18
        case .paymentDeclined: return 6
        case .loginFailure: return 10
        }
    }

    /// A scenario drawn by weight.
    public static func random(using random: inout some RandomNumberGenerator) -> DemoScenario {
        let total = allCases.reduce(0) { $0 + $1.weight }
        var draw = Int.random(in: 0..<total, using: &random)
        for scenario in allCases {
            if draw < scenario.weight { return scenario }
            draw -= scenario.weight
        }
        return .browseCatalogue
    }
}
