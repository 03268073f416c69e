import Intake
import Logging
import OTLPGRPC
import Storage
import Testing

/// The listener's lifecycle: a taken port is reported as such, and a graceful shutdown ends `serve`.
@Suite struct OTLPGRPCServerTests {
    static func server(port: Int) -> OTLPGRPCServer {
        let logger = Logger(label: "otlp-grpc-server-test")
        let pipeline = IngestPipeline(writer: InMemoryTraceStore(), logger: logger)
        return OTLPGRPCServer(host: "127.0.0.1", port: port, pipeline: pipeline, logger: logger)
    }

    @Test(.timeLimit(.minutes(1))) func aTakenPortStopsServeWithABindErrorAndAGracefulShutdownEndsServe() async throws {
        let first = Self.server(port: 0)
        let ports = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.serve { ports.continuation.yield($0) } }
            var iterator = ports.stream.makeAsyncIterator()
            let port = try #require(await iterator.next())

            let error = await #expect(throws: OTLPGRPCBindError.self) {
                try await Self.server(port: port).serve { _ in Issue.record("bound a port that is taken") }
            }
            #expect(error?.description.hasPrefix("the OTLP/gRPC listener could not listen on 127.0.0.1:\(port): ") == true,
                    "\(String(describing: error))")

            first.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
