import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for timing GET requests against a local server: one keep-alive
/// connection, one request at a time, the read token as a Bearer header. It measures from the
/// request's first byte written to the response's last byte read.
public struct QueryHTTPClient: Sendable {
    public let host: String
    public let port: Int
    public let token: String?

    public init(host: String = "127.0.0.1", port: Int, token: String?) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// One answer: status, body size, how long it took, and the body's start (for error messages).
    public struct Response: Sendable {
        public var status: HTTPResponseStatus
        public var bodyBytes: Int
        public var seconds: Double
        public var bodyStart: String
    }

    /// Opens a connection, hands it to `body`, and closes it afterwards.
    public func withConnection<Result: Sendable>(
        _ body: (inout Connection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = Connection(host: host, port: port, token: token, outbound: outbound, inbound: inbound.makeAsyncIterator())
            return try await body(&connection)
        }
    }

    /// An open connection; requests go one after the other.
    public struct Connection {
        let host: String
        let port: Int
        let token: String?
        let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator

        /// GETs `path` (with its query string) and reads the whole answer.
        public mutating func get(_ path: String) async throws -> Response {
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "\(host):\(port)")
            headers.add(name: "Accept", value: "*/*")
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
            let started = ContinuousClock.now
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            var status = HTTPResponseStatus.ok
            var bytes = 0
            var start = ""
            while let part = try await inbound.next() {
                switch part {
                case .head(let responseHead):
                    status = responseHead.status
                case .body(let buffer):
                    bytes += buffer.readableBytes
                    if start.utf8.count < 300 {
                        start += String(buffer: buffer.getSlice(at: buffer.readerIndex, length: min(300, buffer.readableBytes)) ?? buffer)
                    }
                case .end:
                    return Response(status: status, bodyBytes: bytes, seconds: (ContinuousClock.now - started).seconds, bodyStart: start)
                }
            }
            throw QueryHTTPClientError.connectionClosed(path: path)
        }
    }
}

/// The server closed the connection before answering.
public enum QueryHTTPClientError: Error, CustomStringConvertible {
    case connectionClosed(path: String)

    public var description: String {
        switch self {
        case .connectionClosed(let path): return "the server closed the connection before answering GET \(path)"
        }
    }
}
