/// The target for one figure: a bound the value must reach (`atLeast`) or stay under (`atMost`).
public struct BenchTarget: Sendable, Hashable, Codable {
    public enum Direction: String, Sendable, Hashable, Codable {
        case atLeast
        case atMost
    }

    public let direction: Direction
    public let bound: Double

    public static func atLeast(_ bound: Double) -> BenchTarget { BenchTarget(direction: .atLeast, bound: bound) }
    public static func atMost(_ bound: Double) -> BenchTarget { BenchTarget(direction: .atMost, bound: bound) }

    /// value ÷ bound: ≥ 1 meets an `atLeast` target, ≤ 1 meets an `atMost` one.
    public func ratio(of value: Double) -> Double? {
        bound == 0 ? nil : value / bound
    }

    public func isMet(by value: Double) -> Bool {
        switch direction {
        case .atLeast: return value >= bound
        case .atMost: return value <= bound
        }
    }
}
