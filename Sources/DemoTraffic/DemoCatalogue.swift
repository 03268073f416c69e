/// The shop's stock: product ids and categories the scenarios ask for.
enum DemoCatalogue {
    static let categories = ["shoes", "jackets", "backpacks", "tents", "stoves", "headlamps", "socks"]

    static func productID(using random: inout some RandomNumberGenerator) -> String {
        "P-\(Int.random(in: 1_000...1_480, using: &random))"
    }
}
