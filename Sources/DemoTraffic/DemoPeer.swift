/// A system the demo services call that reports no spans itself (a database, a cache, a broker,
/// a third-party API); it shows up through its callers' client spans.
struct DemoPeer: Sendable {
    let name: String
    let address: String
    let ipAddress: String
    let port: Int64
}
