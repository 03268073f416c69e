import TraceModel

/// The traces the outage, shutdown and gRPC drills send: one per sender and request, with ids no
/// other request shares, a root span and `spanCount - 1` children, started a moment ago.
enum DrillTrace {
    /// - Parameters:
    ///   - family: the high half of every trace id, telling one drill's traces from another's.
    ///   - sender: which concurrent sender (1...255); `sequence`: its request number.
    static func spans(service: String, family: UInt64, sender: UInt64, sequence: UInt64, spanCount: UInt64) -> [Span] {
        let traceID = TraceID(high: family + sender, low: sequence + 1)
        let start = WallClock.unixNanos() - 1_000_000_000
        let root = SpanID(sender << 48 | sequence << 8 | 1)
        return (1...spanCount).map { index in
            Span(
                traceID: traceID, spanID: SpanID(sender << 48 | sequence << 8 | index),
                parentSpanID: index == 1 ? nil : root,
                name: "\(service)-op-\(index)", kind: index == 1 ? .server : .internal,
                startTimeUnixNano: start + index * 1_000, endTimeUnixNano: start + 1_000_000,
                resource: Resource(attributes: [Attribute("service.name", .string(service))]))
        }
    }
}
