/// A trace in the Jaeger query API's JSON model (`model/json.Trace`), as the Jaeger UI and
/// Grafana's Jaeger data source read it.
struct JaegerTrace: Encodable, Sendable {
    var traceID: String
    var spans: [JaegerSpan]
    var processes: [String: JaegerProcess]
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case traceID, spans, processes, warnings
    }

    // Written out (here and in `JaegerSpan`) because the synthesized encoder omits a nil
    // `warnings`, while Jaeger writes `"warnings": null` and clients read the key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(traceID, forKey: .traceID)
        try container.encode(spans, forKey: .spans)
        try container.encode(processes, forKey: .processes)
        try container.encode(warnings, forKey: .warnings)
    }
}

/// A span in Jaeger's JSON model: times in microseconds, OpenTelemetry fields carried as tags.
struct JaegerSpan: Encodable, Sendable {
    var traceID: String
    var spanID: String
    var flags: UInt32
    var operationName: String
    var references: [JaegerReference]
    var startTime: UInt64
    var duration: UInt64
    var tags: [JaegerKeyValue]
    var logs: [JaegerLog]
    var processID: String
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case traceID, spanID, flags, operationName, references, startTime, duration, tags, logs, processID, warnings
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(traceID, forKey: .traceID)
        try container.encode(spanID, forKey: .spanID)
        try container.encode(flags, forKey: .flags)
        try container.encode(operationName, forKey: .operationName)
        try container.encode(references, forKey: .references)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(duration, forKey: .duration)
        try container.encode(tags, forKey: .tags)
        try container.encode(logs, forKey: .logs)
        try container.encode(processID, forKey: .processID)
        try container.encode(warnings, forKey: .warnings)
    }
}

/// A span reference: the parent as `CHILD_OF`, links as `FOLLOWS_FROM`.
struct JaegerReference: Encodable, Sendable {
    var refType: String
    var traceID: String
    var spanID: String
}

/// The process (service and resource attributes) that emitted spans.
struct JaegerProcess: Encodable, Sendable {
    var serviceName: String
    var tags: [JaegerKeyValue]
}

/// A timestamped log (an OpenTelemetry event), timestamp in microseconds.
struct JaegerLog: Encodable, Sendable {
    var timestamp: UInt64
    var fields: [JaegerKeyValue]
}
