import TraceModel

/// A system the demo services call that reports no spans itself (a database, a cache, a broker,
/// a third-party API); it shows up through its callers' client spans.
struct DemoPeer: Sendable {
    let name: String
    let address: String
    let ipAddress: String
    let port: Int64

    /// The connection attributes a database or cache client span records about this peer.
    var connectionAttributes: [Attribute] {
        [
            Attribute("server.address", .string(address)),
            Attribute("server.port", .int(port)),
            Attribute("network.peer.address", .string(ipAddress)),
            Attribute("network.peer.port", .int(port)),
            Attribute("peer.service", .string(name)),
        ]
    }
}
