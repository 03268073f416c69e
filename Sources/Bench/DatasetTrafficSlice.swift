import DemoTraffic
import TraceModel

/// One writer's share of the dataset's ordinary traffic: `spans` spans of demo requests whose
/// start times advance evenly from `startUnixNano` to `endUnixNano` as spans are produced.
public struct DatasetTrafficSlice: Sendable, Hashable {
    public var startUnixNano: UInt64
    public var endUnixNano: UInt64
    public var spans: Int
    public var seed: UInt64

    public init(startUnixNano: UInt64, endUnixNano: UInt64, spans: Int, seed: UInt64) {
        self.startUnixNano = startUnixNano
        self.endUnixNano = max(startUnixNano, endUnixNano)
        self.spans = max(0, spans)
        self.seed = seed
    }

    /// `spans` split into `parts` contiguous slices of the window, each with its own seed.
    public static func split(spans: Int, startUnixNano: UInt64, endUnixNano: UInt64, parts: Int, seed: UInt64) -> [DatasetTrafficSlice] {
        let parts = max(1, parts)
        let window = endUnixNano > startUnixNano ? endUnixNano - startUnixNano : 0
        return (0..<parts).map { part in
            let from = startUnixNano + window / UInt64(parts) * UInt64(part)
            let to = part == parts - 1 ? endUnixNano : startUnixNano + window / UInt64(parts) * UInt64(part + 1)
            let share = spans / parts + (part < spans % parts ? 1 : 0)
            return DatasetTrafficSlice(startUnixNano: from, endUnixNano: to, spans: share, seed: seed &+ UInt64(part) &* 0x9E37_79B9)
        }
    }

    public func makeGenerator() -> Generator { Generator(slice: self) }

    /// Produces the slice's spans in batches of whole requests (a batch may exceed the size asked
    /// for by less than one request; the last request is cut so the total is exact).
    public struct Generator {
        let slice: DatasetTrafficSlice
        var random: DemoRandom
        var produced = 0
        let factory = DemoTraceFactory()

        init(slice: DatasetTrafficSlice) {
            self.slice = slice
            random = DemoRandom(seed: slice.seed)
        }

        public mutating func next(batchSize: Int) -> [Span]? {
            guard produced < slice.spans else { return nil }
            var batch: [Span] = []
            batch.reserveCapacity(batchSize + 64)
            let window = Double(slice.endUnixNano - slice.startUnixNano)
            while batch.count < batchSize && produced < slice.spans {
                let at = slice.startUnixNano + UInt64(window * Double(produced) / Double(slice.spans))
                for trace in factory.makeTraces(startingAt: at, using: &random) {
                    let take = trace.prefix(slice.spans - produced)
                    batch.append(contentsOf: take)
                    produced += take.count
                }
            }
            return batch
        }
    }
}
