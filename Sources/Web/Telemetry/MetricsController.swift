import Hummingbird

/// `GET /metrics`: Skein's own figures in the Prometheus text format (0.0.4).
///
/// The Web module does not know the registry: it is given the exposition as a closure (the app
/// passes the Prometheus registry's `emitToBuffer`), and refreshers that set state gauges (memory,
/// queries in flight, ...) just before each scrape. The admin ingest-health page reads the same
/// text through `scrape()`.
public struct MetricsController<Context: RequestContext>: Sendable {
    /// The Prometheus text format's content type.
    public static var contentType: String { "text/plain; version=0.0.4; charset=utf-8" }

    let exposition: @Sendable () -> [UInt8]
    let beforeScrape: [@Sendable () async -> Void]

    /// - Parameters:
    ///   - exposition: every registered metric in the Prometheus text format.
    ///   - beforeScrape: run in order before each exposition, to bring state gauges up to date.
    public init(exposition: @escaping @Sendable () -> [UInt8], beforeScrape: [@Sendable () async -> Void] = []) {
        self.exposition = exposition
        self.beforeScrape = beforeScrape
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { _, _ in
            let bytes = await scrape()
            return Response(
                status: .ok,
                headers: [.contentType: Self.contentType, .cacheControl: "no-store", .contentLength: String(bytes.count)],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// Refreshes the state gauges, then returns the exposition text.
    public func scrape() async -> [UInt8] {
        for refresh in beforeScrape { await refresh() }
        return exposition()
    }
}
