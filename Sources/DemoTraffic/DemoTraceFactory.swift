import TraceModel

/// Turns a random source and a start time into the traces one request to the demo shop produces.
/// Pure: the same generator state and start time give the same spans.
public struct DemoTraceFactory: Sendable {
    public let system: DemoSystem

    public init(system: DemoSystem = .shop) {
        self.system = system
    }

    /// One request of a scenario drawn by weight: see `makeTraces(_:startingAt:using:)`.
    public func makeTraces(startingAt startUnixNano: UInt64, using random: inout some RandomNumberGenerator) -> [[Span]] {
        let scenario = DemoScenario.random(using: &random)
        return makeTraces(scenario, startingAt: startUnixNano, using: &random)
    }

    /// One request of `scenario` whose root span starts at `startUnixNano`: its trace, followed
    /// by the trace of the asynchronous work it caused (a checkout's notification consumer).
    public func makeTraces(
        _ scenario: DemoScenario, startingAt startUnixNano: UInt64, using random: inout some RandomNumberGenerator
    ) -> [[Span]] {
        var request = DemoTraceBuilder(system: system, random: random)
        var producer: Span?
        switch scenario {
        case .browseCatalogue: request.browseCatalogue(at: startUnixNano)
        case .viewProduct: request.viewProduct(at: startUnixNano)
        case .flakyCatalogue: request.viewProduct(at: startUnixNano, catalogueFails: true)
        case .slowStockCheck: request.slowStockCheck(at: startUnixNano)
        case .checkout: producer = request.checkout(at: startUnixNano, cardDeclined: false)
        case .paymentDeclined: producer = request.checkout(at: startUnixNano, cardDeclined: true)
        case .loginFailure: request.loginFailure(at: startUnixNano)
        }
        random = request.random
        var traces = [request.trace]
        if let producer {
            var consumer = DemoTraceBuilder(system: system, random: random)
            consumer.sendOrderConfirmation(after: producer)
            random = consumer.random
            traces.append(consumer.trace)
        }
        return traces
    }
}
