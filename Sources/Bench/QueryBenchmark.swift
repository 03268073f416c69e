import Logging

/// Times the query catalogue against a running server: a warm-up pass (parameters not used by the
/// measured passes), then `repetitions` passes of every case, one request at a time on one
/// keep-alive connection, stopping early when `timeLimit` is over. Every answer must be a 200.
public struct QueryBenchmark: Sendable {
    public let client: QueryHTTPClient
    public let catalogue: QueryCatalogue
    public let repetitions: Int
    public let warmUpPasses: Int
    public let timeLimit: Duration

    public init(client: QueryHTTPClient, catalogue: QueryCatalogue, repetitions: Int, warmUpPasses: Int = 2, timeLimit: Duration) {
        self.client = client
        self.catalogue = catalogue
        self.repetitions = max(1, repetitions)
        self.warmUpPasses = max(0, warmUpPasses)
        self.timeLimit = timeLimit
    }

    /// Latency samples in seconds per case, in `QueryCase.all` order, and the passes completed.
    public struct Samples: Sendable {
        public var seconds: [QueryCase: [Double]]
        public var passes: Int
    }

    public func run(logger: Logger) async throws -> Samples {
        let catalogue = catalogue
        let repetitions = repetitions
        let warmUpPasses = warmUpPasses
        let deadline = ContinuousClock.now + timeLimit
        return try await client.withConnection { connection in
            for pass in 0..<warmUpPasses {
                for request in catalogue.requests(repetition: repetitions + pass) {
                    _ = try await Self.fetch(request, on: &connection)
                }
            }
            var samples = Samples(seconds: [:], passes: 0)
            for pass in 0..<repetitions {
                guard ContinuousClock.now < deadline else {
                    logger.warning("query benchmark stopped at its time limit", metadata: ["passes": "\(pass)"])
                    break
                }
                for request in catalogue.requests(repetition: pass) {
                    let response = try await Self.fetch(request, on: &connection)
                    samples.seconds[request.queryCase, default: []].append(response.seconds)
                }
                samples.passes = pass + 1
            }
            return samples
        }
    }

    static func fetch(_ request: QueryCatalogue.Request, on connection: inout QueryHTTPClient.Connection) async throws -> QueryHTTPClient.Response {
        let response = try await connection.get(request.path)
        guard response.status == .ok else {
            throw QueryBenchmarkError.unexpectedStatus(path: request.path, status: response.status.code, body: response.bodyStart)
        }
        return response
    }
}

/// A benchmark request was not answered with 200 OK: the figures would time an error page.
public enum QueryBenchmarkError: Error, CustomStringConvertible {
    case unexpectedStatus(path: String, status: UInt, body: String)

    public var description: String {
        switch self {
        case let .unexpectedStatus(path, status, body):
            return "GET \(path) answered \(status): \(body.prefix(200))"
        }
    }
}
