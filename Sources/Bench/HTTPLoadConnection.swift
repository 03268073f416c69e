import NIOCore
import NIOHTTP1
import NIOPosix

/// A lean HTTP/1.1 keep-alive client connection on NIO for load generation: one request in flight
/// at a time, the whole response collected in memory. Not a general client: no redirects, no TLS,
/// no retries (the load loop decides what a 429 means).
public final class HTTPLoadConnection: Sendable {
    private let channel: any Channel
    private let host: String

    private init(channel: any Channel, host: String) {
        self.channel = channel
        self.host = host
    }

    /// Connects to `host:port` (give 127.0.0.1, not a name, so no resolver is involved).
    public static func connect(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> HTTPLoadConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTPLoadResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
        return HTTPLoadConnection(channel: channel, host: "\(host):\(port)")
    }

    /// Sends one request and waits for the whole response. Throws when the connection fails or closes.
    public func send(
        method: HTTPMethod = .POST, path: String, headers: [(String, String)] = [], body: ByteBuffer? = nil
    ) async throws -> HTTPLoadResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.add(name: "Content-Length", value: String(body.readableBytes)) }
        let promise = channel.eventLoop.makePromise(of: HTTPLoadResponse.self)
        channel.writeAndFlush(HTTPLoadRequest(head: head, body: body, response: promise), promise: nil)
        return try await promise.futureResult.get()
    }

    public func close() async {
        try? await channel.close()
    }
}

/// A status, the headers and the collected body of one response.
public struct HTTPLoadResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    /// `Retry-After` in whole seconds, when present and numeric.
    public var retryAfterSeconds: Int? {
        headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    public var bodyText: String { String(buffer: body) }
}

/// A request travelling down the pipeline together with the promise its response completes.
struct HTTPLoadRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var response: EventLoopPromise<HTTPLoadResponse>
}

/// Writes `HTTPLoadRequest`s and completes each one's promise with the next full response; fails
/// the pending promise when the connection errors or closes.
final class HTTPLoadResponseCollector: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPLoadRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: EventLoopPromise<HTTPLoadResponse>?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard pending == nil else {
            request.response.fail(HTTPLoadError.requestAlreadyInFlight)
            promise?.fail(HTTPLoadError.requestAlreadyInFlight)
            return
        }
        pending = request.response
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
            body = nil
        case .body(var part):
            if body == nil {
                body = part
            } else {
                body?.writeBuffer(&part)
            }
        case .end:
            guard let head, let promise = pending else { return }
            pending = nil
            self.head = nil
            promise.succeed(HTTPLoadResponse(status: head.status, headers: head.headers, body: body ?? ByteBuffer()))
            body = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failPending(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(HTTPLoadError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failPending(_ error: any Error) {
        let promise = pending
        pending = nil
        promise?.fail(error)
    }
}

/// Why a load request got no response.
public enum HTTPLoadError: Error, CustomStringConvertible {
    case connectionClosed
    case requestAlreadyInFlight

    public var description: String {
        switch self {
        case .connectionClosed: return "the server closed the connection"
        case .requestAlreadyInFlight: return "a request was sent while another was in flight on the same connection"
        }
    }
}
