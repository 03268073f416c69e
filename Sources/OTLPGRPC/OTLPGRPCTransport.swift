import GRPCCore
import GRPCNIOTransportHTTP2

/// The server transport every OTLP/gRPC listener uses (serve and tests alike): HTTP/2 in plaintext
/// (h2c), gzip and deflate request compression accepted (responses are compressed only with an
/// algorithm the client lists in `grpc-accept-encoding`), and messages longer than
/// `maxMessageBytes`, before or after decompression, refused by the transport itself.
public enum OTLPGRPCTransport {
    /// A transport listening on `host:port` (port 0 picks a free port; read it back from
    /// `listeningAddress`).
    public static func listening(host: String, port: Int, maxMessageBytes: Int) -> HTTP2ServerTransport.Posix {
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = maxMessageBytes
        config.compression = .init(enabledAlgorithms: [.gzip, .deflate])
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
