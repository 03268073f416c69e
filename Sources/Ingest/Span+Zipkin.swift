import TraceModel

extension Span {
    /// Tag-key prefixes of OpenTelemetry resource attributes. OpenTelemetry's Zipkin exporters
    /// copy every resource attribute into each span's tags; these go back to the resource.
    static let zipkinResourceTagPrefixes = [
        "service.", "telemetry.", "host.", "os.", "process.", "container.", "k8s.", "cloud.",
        "deployment.", "device.", "webengine.",
    ]

    /// The domain span of a Zipkin v2 span, reversing OpenTelemetry's Zipkin mapping (status,
    /// scope, dropped counts and resource attributes travel as tags there).
    init(_ zipkin: ZipkinJSON.Span) throws(InvalidSpan) {
        guard let traceID = HexID.traceID(zipkin.traceId, digits: 1...32) else {
            throw InvalidSpan(.invalidTraceID(
                "traceId must be 16 or 32 hex digits, not all zero (got \(zipkin.traceId.utf8.count) characters)"))
        }
        guard let spanID = HexID.spanID(zipkin.id, digits: 1...16) else {
            throw InvalidSpan(.invalidSpanID(
                "id must be 16 hex digits, not all zero (got \(zipkin.id.utf8.count) characters)"))
        }
        let parentSpanID = try HexID.parentSpanID(zipkin.parentId, digits: 1...16, detail:
            "parentId must be 16 hex digits or absent (got \(zipkin.parentId.utf8.count) characters)")
        let events = zipkin.annotations.map(ZipkinAnnotationValue.event)
        guard let startMicros = zipkin.timestamp ?? zipkin.annotations.lazy.map(\.timestamp).min() else {
            throw InvalidSpan(SpanRejection(
                reason: "missing_timestamp", detail: "span has neither a timestamp nor annotations"))
        }
        let start = Self.nanos(micros: startMicros)
        let end = start.addingReportingOverflow(Self.nanos(micros: zipkin.duration ?? 0))

        var tags = zipkin.tags
        let status = Self.zipkinStatus(removingFrom: &tags)
        let scope = InstrumentationScope(
            name: tags.removeValue(forKey: "otel.scope.name") ?? tags["otel.library.name"] ?? "",
            version: tags.removeValue(forKey: "otel.scope.version") ?? tags["otel.library.version"] ?? ""
        )
        tags["otel.library.name"] = nil
        tags["otel.library.version"] = nil
        let droppedAttributes = Self.count(removing: "otel.dropped_attributes_count", from: &tags)
        let droppedEvents = Self.count(removing: "otel.dropped_events_count", from: &tags)
        let droppedLinks = Self.count(removing: "otel.dropped_links_count", from: &tags)
        let resource = Self.zipkinResource(zipkin.localEndpoint, removingFrom: &tags)

        var attributes = tags.sorted { $0.key < $1.key }.map { Attribute($0.key, .string($0.value)) }
        if let remote = zipkin.remoteEndpoint {
            var peer: [Attribute] = []
            if !remote.serviceName.isEmpty { peer.append(Attribute("peer.service", .string(remote.serviceName))) }
            let ip = remote.ipv4.isEmpty ? remote.ipv6 : remote.ipv4
            if !ip.isEmpty { peer.append(Attribute("net.peer.ip", .string(ip))) }
            if remote.port != 0 { peer.append(Attribute("net.peer.port", .int(remote.port))) }
            attributes += peer.filter { tags[$0.key] == nil }
        }
        if zipkin.shared { attributes.append(Attribute("zipkin.shared", .bool(true))) }

        self.init(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentSpanID,
            // OpenTelemetry's exporters set `debug` from the W3C sampled flag.
            flags: zipkin.debug ? 0x01 : 0,
            name: zipkin.name,
            kind: Self.zipkinKind(zipkin.kind),
            startTimeUnixNano: start,
            endTimeUnixNano: end.overflow ? UInt64.max : end.partialValue,
            attributes: attributes,
            droppedAttributesCount: droppedAttributes,
            events: events,
            droppedEventsCount: droppedEvents,
            droppedLinksCount: droppedLinks,
            status: status,
            resource: resource,
            scope: scope
        )
    }

    /// Zipkin's microseconds as nanoseconds, saturating at `UInt64.max`.
    static func nanos(micros: UInt64) -> UInt64 {
        let nanos = micros.multipliedReportingOverflow(by: 1000)
        return nanos.overflow ? UInt64.max : nanos.partialValue
    }

    private static func zipkinKind(_ kind: String) -> SpanKind {
        switch kind.uppercased() {
        case "CLIENT": return .client
        case "SERVER": return .server
        case "PRODUCER": return .producer
        case "CONSUMER": return .consumer
        default: return .internal
        }
    }

    /// `otel.status_code` gives the code; an `error` tag (Zipkin's own convention, which
    /// OpenTelemetry also writes) makes it an error with the tag's value as the message.
    private static func zipkinStatus(removingFrom tags: inout [String: String]) -> SpanStatus {
        var status = SpanStatus()
        switch tags.removeValue(forKey: "otel.status_code")?.uppercased() {
        case "OK": status.code = .ok
        case "ERROR": status.code = .error
        default: break
        }
        if let description = tags.removeValue(forKey: "otel.status_description") {
            status.message = description
        }
        if let error = tags.removeValue(forKey: "error") {
            status.code = .error
            if !error.isEmpty { status.message = error }
        }
        return status
    }

    private static func count(removing key: String, from tags: inout [String: String]) -> UInt32 {
        guard let text = tags[key], let count = UInt32(text) else { return 0 }
        tags[key] = nil
        return count
    }

    /// `service.name` from the local endpoint (or the tag), the endpoint's address, and the
    /// resource attributes OpenTelemetry's exporters copied into the tags.
    private static func zipkinResource(
        _ endpoint: ZipkinJSON.Endpoint?, removingFrom tags: inout [String: String]
    ) -> Resource {
        var attributes: [Attribute] = []
        let endpointService = endpoint?.serviceName ?? ""
        let service: String
        if endpointService.isEmpty {
            service = tags.removeValue(forKey: "service.name") ?? ""
        } else {
            service = endpointService
            // The copy OpenTelemetry's exporters add; a different value stays a span attribute.
            if tags["service.name"] == endpointService { tags["service.name"] = nil }
        }
        if !service.isEmpty { attributes.append(Attribute("service.name", .string(service))) }
        if let endpoint {
            let ip = endpoint.ipv4.isEmpty ? endpoint.ipv6 : endpoint.ipv4
            if !ip.isEmpty { attributes.append(Attribute("net.host.ip", .string(ip))) }
            if endpoint.port != 0 { attributes.append(Attribute("net.host.port", .int(endpoint.port))) }
        }
        let resourceKeys = tags.keys.filter { key in
            key != "service.name" && zipkinResourceTagPrefixes.contains { key.hasPrefix($0) }
        }.sorted()
        for key in resourceKeys {
            if let value = tags.removeValue(forKey: key) { attributes.append(Attribute(key, .string(value))) }
        }
        return Resource(attributes: attributes)
    }
}
