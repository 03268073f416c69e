import TraceModel

extension JaegerTrace {
    /// Converts one trace's spans to Jaeger's model, the way Jaeger's OTLP translator places
    /// OpenTelemetry-only data (kind, status, scope, trace state, dropped counts) in tags.
    /// A trace the per-trace limit truncated (`droppedSpanCount` > 0) says so in its `warnings`,
    /// which the Jaeger UI shows on the trace.
    init(traceID: TraceID, spans: [Span], droppedSpanCount: Int = 0) {
        // Few distinct resources per trace, and spans of one process share the resource's storage
        // (so `==` is an identity check): a short list beats hashing every span's resource.
        var knownResources: [(resource: Resource, processID: String)] = []
        var processes: [String: JaegerProcess] = [:]
        var jaegerSpans: [JaegerSpan] = []
        jaegerSpans.reserveCapacity(spans.count)
        let traceHex = traceID.hex
        var lastKnown = -1
        for span in spans {
            let processID: String
            if lastKnown >= 0, knownResources[lastKnown].resource == span.resource {
                processID = knownResources[lastKnown].processID
            } else if let index = knownResources.firstIndex(where: { $0.resource == span.resource }) {
                lastKnown = index
                processID = knownResources[index].processID
            } else {
                processID = "p\(knownResources.count + 1)"
                lastKnown = knownResources.count
                knownResources.append((span.resource, processID))
                processes[processID] = JaegerProcess(span.resource)
            }
            jaegerSpans.append(JaegerSpan(span, processID: processID, traceHex: span.traceID == traceID ? traceHex : span.traceID.hex))
        }
        self.init(
            traceID: traceHex, spans: jaegerSpans, processes: processes,
            warnings: droppedSpanCount > 0 ? [Self.truncationWarning(droppedSpanCount)] : nil)
    }
}

extension JaegerTrace {
    /// The warning on a truncated trace.
    static func truncationWarning(_ dropped: Int) -> String {
        "trace truncated: \(dropped) span\(dropped == 1 ? " was" : "s were") not stored, beyond the per-trace span limit"
    }
}

extension JaegerProcess {
    init(_ resource: Resource) {
        self.init(
            serviceName: resource.serviceName,
            tags: resource.attributes.filter { $0.key != "service.name" }.map(JaegerKeyValue.init))
    }
}

extension JaegerSpan {
    /// - Parameter traceHex: `span.traceID.hex`, computed once per trace by the caller.
    init(_ span: Span, processID: String, traceHex: String? = nil) {
        let traceHex = traceHex ?? span.traceID.hex
        var references: [JaegerReference] = []
        if let parent = span.parentSpanID {
            references.append(JaegerReference(refType: "CHILD_OF", traceID: traceHex, spanID: parent.hex))
        }
        for link in span.links {
            references.append(JaegerReference(refType: "FOLLOWS_FROM", traceID: link.traceID.hex, spanID: link.spanID.hex))
        }
        self.init(
            traceID: traceHex,
            spanID: span.spanID.hex,
            flags: span.flags & 0xFF,
            operationName: span.name,
            references: references,
            startTime: span.startTimeUnixNano / 1_000,
            duration: span.durationNanos / 1_000,
            tags: Self.tags(of: span),
            logs: span.events.map(JaegerLog.init),
            processID: processID,
            warnings: span.endTimeUnixNano < span.startTimeUnixNano
                ? ["span ends before it starts; duration shown as 0"] : nil)
    }

    private static func tags(of span: Span) -> [JaegerKeyValue] {
        var tags = span.attributes.map(JaegerKeyValue.init)
        if !span.scope.name.isEmpty { tags.append(JaegerKeyValue("otel.scope.name", .string(span.scope.name))) }
        if !span.scope.version.isEmpty { tags.append(JaegerKeyValue("otel.scope.version", .string(span.scope.version))) }
        if span.kind != .unspecified { tags.append(JaegerKeyValue("span.kind", .string(span.kind.name))) }
        switch span.status.code {
        case .unset: break
        case .ok: tags.append(JaegerKeyValue("otel.status_code", .string("OK")))
        case .error:
            tags.append(JaegerKeyValue("otel.status_code", .string("ERROR")))
            if !span.attributes.contains(where: { $0.key == "error" }) {
                tags.append(JaegerKeyValue("error", .bool(true)))
            }
        }
        if !span.status.message.isEmpty {
            tags.append(JaegerKeyValue("otel.status_description", .string(span.status.message)))
        }
        if !span.traceState.isEmpty { tags.append(JaegerKeyValue("w3c.tracestate", .string(span.traceState))) }
        if span.droppedAttributesCount > 0 {
            tags.append(JaegerKeyValue("otel.dropped_attributes_count", .int64(Int64(span.droppedAttributesCount))))
        }
        if span.droppedEventsCount > 0 {
            tags.append(JaegerKeyValue("otel.dropped_events_count", .int64(Int64(span.droppedEventsCount))))
        }
        if span.droppedLinksCount > 0 {
            tags.append(JaegerKeyValue("otel.dropped_links_count", .int64(Int64(span.droppedLinksCount))))
        }
        return tags
    }
}

extension JaegerLog {
    init(_ event: SpanEvent) {
        var fields: [JaegerKeyValue] = []
        if !event.name.isEmpty { fields.append(JaegerKeyValue("event", .string(event.name))) }
        fields += event.attributes.map(JaegerKeyValue.init)
        if event.droppedAttributesCount > 0 {
            fields.append(JaegerKeyValue("otel.dropped_attributes_count", .int64(Int64(event.droppedAttributesCount))))
        }
        self.init(timestamp: event.timeUnixNano / 1_000, fields: fields)
    }
}
