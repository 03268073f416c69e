import Logging
import TraceModel

/// Times the trace page of the dataset's 1,000 / 10,000 / 100,000-span traces: one warm-up
/// request each, then `repetitions` timed ones (bounded by `timeLimit`), with the HTML's size.
public struct PagesBenchmark: Sendable {
    public let client: QueryHTTPClient
    public let known: DatasetKnownTraces
    public let repetitions: Int
    public let timeLimit: Duration

    public init(client: QueryHTTPClient, known: DatasetKnownTraces, repetitions: Int, timeLimit: Duration) {
        self.client = client
        self.known = known
        self.repetitions = max(1, repetitions)
        self.timeLimit = timeLimit
    }

    /// The samples of one trace page.
    public struct Page: Sendable {
        public var spanCount: Int
        public var seconds: [Double]
        public var htmlBytes: Int
    }

    public func run(logger: Logger) async throws -> [Page] {
        let known = known
        let repetitions = repetitions
        let deadline = ContinuousClock.now + timeLimit
        return try await client.withConnection { connection in
            var pages: [Page] = []
            for (spanCount, traceID) in zip(DatasetKnownTraces.pageSpanCounts, known.pages) {
                let request = QueryCatalogue.Request(queryCase: QueryCase(name: "pages.trace_\(spanCount)", p99TargetMilliseconds: nil),
                                                     path: "/trace/\(traceID.hex)")
                let warm = try await QueryBenchmark.fetch(request, on: &connection)
                var page = Page(spanCount: spanCount, seconds: [], htmlBytes: warm.bodyBytes)
                for _ in 0..<repetitions {
                    let response = try await QueryBenchmark.fetch(request, on: &connection)
                    page.seconds.append(response.seconds)
                    page.htmlBytes = response.bodyBytes
                    if ContinuousClock.now > deadline {
                        logger.warning("pages benchmark stopped at its time limit", metadata: ["spans": "\(spanCount)"])
                        break
                    }
                }
                pages.append(page)
            }
            return pages
        }
    }
}
