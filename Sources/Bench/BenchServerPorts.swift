import NIOCore
import NIOPosix

/// Four free TCP ports on 127.0.0.1 for a child server's listeners, found by binding port 0 and
/// closing again (all four are held open together, so they differ).
public struct BenchServerPorts: Sendable, Hashable {
    public let ui: Int
    public let otlpHTTP: Int
    public let otlpGRPC: Int
    public let zipkin: Int

    public static func findFree() async throws -> BenchServerPorts {
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        var ports: [Int] = []
        for _ in 0..<4 {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: 0).get()
            channels.append(channel)
            guard let port = channel.localAddress?.port else { throw BenchServerError.noFreePort }
            ports.append(port)
        }
        return BenchServerPorts(ui: ports[0], otlpHTTP: ports[1], otlpGRPC: ports[2], zipkin: ports[3])
    }
}
