import GRPCCore
import GRPCNIOTransportHTTP2

/// The server transport every OTLP/gRPC listener uses (serve and tests alike): HTTP/2 in plaintext
/// (h2c), gzip and deflate request compression accepted (responses are compressed only with an
/// algorithm the client lists in `grpc-accept-encoding`), and messages longer than
/// `maxMessageBytes`, before or after decompression, refused by the transport itself.
enum OTLPGRPCTransport {
    /// Calls one connection may have in flight at once (HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`).
    static let maxConcurrentCallsPerConnection = 64

    /// A transport listening on `host:port` (port 0 picks a free port; read it back from
    /// `listeningAddress`).
    static func listening(host: String, port: Int, maxMessageBytes: Int) -> HTTP2ServerTransport.Posix {
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = maxMessageBytes
        config.compression = .init(enabledAlgorithms: [.gzip, .deflate])
        // The transport buffers each message whole before the service can admit it against the
        // memory budget; bounding the calls per connection bounds that buffering (the default is
        // unlimited). Clients queue calls beyond it; the SDK exporters send one at a time.
        config.http2.maxConcurrentStreams = maxConcurrentCallsPerConnection
        return HTTP2ServerTransport.Posix(
            address: address(host: host, port: port), transportSecurity: .plaintext, config: config)
    }

    /// `host` as a socket address: IPv6 when it has a colon, loopback for `localhost`, IPv4 otherwise.
    static func address(host: String, port: Int) -> GRPCNIOTransportCore.SocketAddress {
        if host.contains(":") { return .ipv6(host: host, port: port) }
        if host == "localhost" { return .ipv4(host: "127.0.0.1", port: port) }
        return .ipv4(host: host, port: port)
    }
}
