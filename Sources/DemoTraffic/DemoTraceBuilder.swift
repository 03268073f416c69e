import TraceModel

/// Records the spans of one trace. Children start at their parent's cursor and move it to their
/// end, so every child lies inside its parent and carries the parent's span id, as W3C trace
/// context propagation would produce.
struct DemoTraceBuilder<Random: RandomNumberGenerator> {
    var random: Random
    let system: DemoSystem
    let traceID: TraceID
    let traceState: String
    private(set) var spans: [Span] = []
    /// One instance (pod) per service per trace, as a load balancer would pick.
    private var chosenInstances: [String: DemoInstance] = [:]

    /// W3C `sampled`.
    static var sampledFlag: UInt32 { 0x01 }

    init(system: DemoSystem, random: Random) {
        var random = random
        self.system = system
        traceID = TraceID(high: random.nonZero(), low: random.nonZero())
        let draw = Double.random(in: 0..<1, using: &random)
        traceState = draw < 0.3 ? "skein=demo" : draw < 0.4 ? "skein=demo,rojo=00f067aa0ba902b7" : ""
        self.random = random
    }

    /// The recorded spans in start order.
    var trace: [Span] {
        spans.sorted { ($0.startTimeUnixNano, $0.spanID) < ($1.startTimeUnixNano, $1.spanID) }
    }

    mutating func instance(of service: DemoService) -> DemoInstance {
        if let chosen = chosenInstances[service.name] { return chosen }
        let chosen = random.pick(service.instances)
        chosenInstances[service.name] = chosen
        return chosen
    }

    mutating func start(
        _ name: String, kind: SpanKind, service: DemoService, scope: InstrumentationScope, parent: OpenSpan?,
        at startUnixNano: UInt64, attributes: [Attribute] = []
    ) -> OpenSpan {
        let instance = instance(of: service)
        let span = Span(
            traceID: traceID, spanID: SpanID(random.nonZero()), parentSpanID: parent?.span.spanID,
            traceState: traceState, flags: Self.sampledFlag, name: name, kind: kind,
            startTimeUnixNano: startUnixNano, endTimeUnixNano: startUnixNano, attributes: attributes,
            resource: instance.resource, scope: scope)
        return OpenSpan(span: span, cursor: startUnixNano, service: service, instance: instance)
    }

    /// Time the span spends on its own work before its next step.
    mutating func work(_ span: inout OpenSpan, _ milliseconds: ClosedRange<Double>) {
        span.cursor += random.millis(milliseconds)
    }

    /// Ends the span a little after its cursor, records it, and returns its end time.
    @discardableResult
    mutating func finish(_ open: OpenSpan, tail milliseconds: ClosedRange<Double> = 0.02...0.3) -> UInt64 {
        var span = open.span
        span.endTimeUnixNano = open.cursor + random.millis(milliseconds)
        spans.append(span)
        return span.endTimeUnixNano
    }

    /// Records an internal span of the caller's service around `body`.
    mutating func inside(
        _ parent: inout OpenSpan, _ name: String, attributes: [Attribute] = [],
        body: (inout Self, inout OpenSpan) -> Void
    ) {
        var child = start(name, kind: .internal, service: parent.service, scope: parent.service.internalScope,
                          parent: parent, at: parent.cursor + random.millis(0.01...0.1), attributes: attributes)
        body(&self, &child)
        parent.cursor = finish(child)
    }

    /// Runs each branch from the same moment, as concurrent calls do; the parent continues when
    /// the slowest branch is done.
    mutating func concurrently(_ parent: inout OpenSpan, _ branches: [(inout Self, inout OpenSpan) -> Void]) {
        let fork = parent.cursor
        var join = fork
        for branch in branches {
            parent.cursor = fork + random.millis(0.01...0.2)
            branch(&self, &parent)
            join = max(join, parent.cursor)
        }
        parent.cursor = join
    }
}
