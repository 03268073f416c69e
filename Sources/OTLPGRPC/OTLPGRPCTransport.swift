import GRPCCore
import GRPCNIOTransportHTTP2

/// The server transport every OTLP/gRPC listener uses (serve and tests alike): HTTP/2 in plaintext
/// (h2c) or over TLS when given a certificate, gzip and deflate request compression accepted
/// (responses are compressed only with an algorithm the client lists in `grpc-accept-encoding`),
/// and messages longer than `maxMessageBytes`, before or after decompression, refused by the
/// transport itself.
enum OTLPGRPCTransport {
    /// Calls one connection may have in flight at once (HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`).
    static let maxConcurrentCallsPerConnection = 64

    /// A transport listening on `host:port` (port 0 picks a free port; read it back from
    /// `listeningAddress`), over TLS with `tls` (ALPN `h2` offered, not required: clients that
    /// skip ALPN still connect), else in plaintext.
    static func listening(
        host: String, port: Int, maxMessageBytes: Int, tls: OTLPGRPCServer.TLSCertificate? = nil
    ) -> HTTP2ServerTransport.Posix {
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = maxMessageBytes
        config.compression = .init(enabledAlgorithms: [.gzip, .deflate])
        // The transport buffers each message whole before the service can admit it against the
        // memory budget; bounding the calls per connection bounds that buffering (the default is
        // unlimited). Clients queue calls beyond it; the SDK exporters send one at a time.
        config.http2.maxConcurrentStreams = maxConcurrentCallsPerConnection
        return HTTP2ServerTransport.Posix(
            address: address(host: host, port: port), transportSecurity: security(tls), config: config)
    }

    /// Plaintext without `tls`; with it, TLS from the PEM files (read when the server starts, so
    /// an unreadable file makes `serve()` fail).
    static func security(_ tls: OTLPGRPCServer.TLSCertificate?) -> HTTP2ServerTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        return .tls(
            certificateChain: [.file(path: tls.certificatePath, format: .pem)],
            privateKey: .file(path: tls.privateKeyPath, format: .pem))
    }

    /// `host` as a socket address: IPv6 when it has a colon, loopback for `localhost`, IPv4 otherwise.
    static func address(host: String, port: Int) -> GRPCNIOTransportCore.SocketAddress {
        if host.contains(":") { return .ipv6(host: host, port: port) }
        if host == "localhost" { return .ipv4(host: "127.0.0.1", port: port) }
        return .ipv4(host: host, port: port)
    }
}
