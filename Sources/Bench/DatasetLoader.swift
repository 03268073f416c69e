import DemoTraffic
import Foundation
import Logging
import Storage
import TraceModel

/// Fills a Skein database with a benchmark dataset, in process, through `PostgresTraceStore.write`
/// with large batches and a few concurrent writers. This is loading, not the benchmark: it only
/// has to be fast and repeatable. Ordinary demo traffic is spread evenly over the time window
/// (each writer owns one slice of it), then the known traces are written (`DatasetKnownTraces`).
public struct DatasetLoader: Sendable {
    public var parameters: DatasetParameters
    public var writers: Int
    public var batchSize: Int

    public init(parameters: DatasetParameters, writers: Int = 3, batchSize: Int = 4_000) {
        self.parameters = parameters
        self.writers = max(1, writers)
        self.batchSize = max(100, batchSize)
    }

    /// What one load did.
    public struct Outcome: Sendable {
        public var spansWritten: Int
        public var seconds: Double
        public var spansPerSecond: Double { seconds > 0 ? Double(spansWritten) / seconds : 0 }
    }

    public func load(into store: PostgresTraceStore, logger: Logger) async throws -> Outcome {
        let started = ContinuousClock.now
        // One small batch alone first, so concurrent writers find the dictionaries filled.
        let warm = DatasetTrafficSlice(
            startUnixNano: parameters.startUnixNano, endUnixNano: parameters.startUnixNano + 60_000_000_000,
            spans: min(500, parameters.spans), seed: parameters.seed ^ 0x5eed)
        var written = try await write(warm, into: store, logger: logger)
        let bulk = parameters.spans - written
        let slices = DatasetTrafficSlice.split(
            spans: bulk, startUnixNano: parameters.startUnixNano + 60_000_000_000,
            endUnixNano: parameters.endUnixNano, parts: writers, seed: parameters.seed)
        written += try await withThrowingTaskGroup(of: Int.self) { group in
            for slice in slices {
                group.addTask { try await write(slice, into: store, logger: logger) }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
        written += try await writeKnownTraces(into: store)
        let seconds = (ContinuousClock.now - started).seconds
        return Outcome(spansWritten: written, seconds: seconds)
    }

    private func write(_ slice: DatasetTrafficSlice, into store: PostgresTraceStore, logger: Logger) async throws -> Int {
        var generator = slice.makeGenerator()
        var written = 0
        var lastLog = ContinuousClock.now
        while let batch = generator.next(batchSize: batchSize) {
            _ = try await store.write(batch, limits: WriteLimits())
            written += batch.count
            if ContinuousClock.now - lastLog > .seconds(10) {
                lastLog = ContinuousClock.now
                logger.info("loading the dataset", metadata: ["spans": "\(written)", "of": "\(slice.spans)"])
            }
        }
        return written
    }

    /// The known traces, spread over the oldest hour of the window: the query benchmark's searches
    /// look at the newer hours, so a search never returns the 100,000-span trace.
    private func writeKnownTraces(into store: PostgresTraceStore) async throws -> Int {
        let known = DatasetKnownTraces(seed: parameters.seed)
        let shaper = DatasetTraceShaper()
        var random = DemoRandom(seed: parameters.seed ^ 0x7ace)
        let hour: UInt64 = 3_600_000_000_000
        var written = 0
        let traces = known.byID.map { ($0, DatasetKnownTraces.byIDSpanCount) }
            + zip(known.pages, DatasetKnownTraces.pageSpanCounts).map { ($0, $1) }
        for (index, (traceID, spanCount)) in traces.enumerated() {
            let offset = UInt64(index) * (hour / 2) / UInt64(traces.count)
            let spans = shaper.trace(id: traceID, spanCount: spanCount, startingAt: parameters.startUnixNano + offset, using: &random)
            var start = 0
            while start < spans.count {
                let end = min(start + batchSize, spans.count)
                _ = try await store.write(Array(spans[start..<end]), limits: WriteLimits())
                start = end
            }
            written += spans.count
        }
        return written
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
