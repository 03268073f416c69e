import TraceModel

/// A span while it is being recorded: its fields so far, who records it, and the time at which
/// its next piece of work starts (its end will be at or after that time).
struct OpenSpan {
    var span: Span
    var cursor: UInt64
    let service: DemoService
    let instance: DemoInstance

    mutating func set(_ key: String, _ value: AttributeValue) {
        span.attributes.append(Attribute(key, value))
    }

    /// Adds an event at the span's current time.
    mutating func addEvent(_ name: String, _ attributes: [Attribute] = []) {
        span.events.append(SpanEvent(timeUnixNano: cursor, name: name, attributes: attributes))
    }

    mutating func fail(_ message: String, type: String) {
        span.status = SpanStatus(code: .error, message: message)
        set("error.type", .string(type))
    }
}
