import Ingest
import Testing
import TraceModel

@Suite struct ZipkinCodecTests {
    /// Exactly what opentelemetry-exporter-zipkin-json 1.45.1 posts for a server span (error
    /// status, two events), a client child (OK status) and an internal child.
    static let pythonExporterPayload = #"""
[{"traceId": "5b8efff798038103d269b633813fc60c", "id": "eee19b7ec3c1b172", "name": "SELECT cart", "timestamp": 1700000000000300, "duration": 400, "localEndpoint": {"serviceName": "checkout", "ipv4": "10.0.0.7", "port": 8080}, "kind": "CLIENT", "tags": {"service.name": "checkout", "telemetry.sdk.language": "python", "deployment.environment": "prod", "otel.library.name": "fixture.scope", "otel.library.version": "9.9.9", "otel.scope.name": "fixture.scope", "otel.scope.version": "9.9.9", "otel.status_code": "OK"}, "debug": true, "parentId": "eee19b7ec3c1b171"}, {"traceId": "5b8efff798038103d269b633813fc60c", "id": "eee19b7ec3c1b173", "name": "render", "timestamp": 1700000000000800, "duration": 100, "localEndpoint": {"serviceName": "checkout", "ipv4": "10.0.0.7", "port": 8080}, "kind": null, "tags": {"service.name": "checkout", "telemetry.sdk.language": "python", "deployment.environment": "prod", "otel.library.name": "fixture.scope", "otel.library.version": "9.9.9", "otel.scope.name": "fixture.scope", "otel.scope.version": "9.9.9"}, "debug": true, "parentId": "eee19b7ec3c1b171"}, {"traceId": "5b8efff798038103d269b633813fc60c", "id": "eee19b7ec3c1b171", "name": "GET /cart", "timestamp": 1700000000000000, "duration": 1000, "localEndpoint": {"serviceName": "checkout", "ipv4": "10.0.0.7", "port": 8080}, "kind": "SERVER", "tags": {"http.method": "GET", "http.status_code": "500", "retry": "true", "ratio": "0.5", "ids": "[\"1\",\"2\"]", "service.name": "checkout", "telemetry.sdk.language": "python", "deployment.environment": "prod", "otel.library.name": "fixture.scope", "otel.library.version": "9.9.9", "otel.scope.name": "fixture.scope", "otel.scope.version": "9.9.9", "otel.status_code": "ERROR", "error": "payment declined"}, "annotations": [{"timestamp": 1700000000000100, "value": "{\"cache miss\": {\"hit\": false, \"key\": \"cart:7\", \"ratio\": 0.25, \"size\": 3}}"}, {"timestamp": 1700000000000200, "value": "{\"plain\": {}}"}], "debug": true}]
"""#

    static let traceID = TraceID(high: 0x5b8e_fff7_9803_8103, low: 0xd269_b633_813f_c60c)

    @Test func whatThePythonZipkinExporterSendsComesBackAsTheOriginalSpans() throws {
        let decoded = try ZipkinCodec.decodeJSON(Array(Self.pythonExporterPayload.utf8))
        #expect(decoded.rejected.isEmpty)
        try #require(decoded.spans.count == 3)
        let client = decoded.spans[0], internalSpan = decoded.spans[1], server = decoded.spans[2]

        let resource = Resource(attributes: [
            Attribute("service.name", .string("checkout")),
            Attribute("net.host.ip", .string("10.0.0.7")),
            Attribute("net.host.port", .int(8080)),
            Attribute("deployment.environment", .string("prod")),
            Attribute("telemetry.sdk.language", .string("python")),
        ])
        let scope = InstrumentationScope(name: "fixture.scope", version: "9.9.9")
        #expect(server == Span(
            traceID: Self.traceID, spanID: SpanID(0xeee1_9b7e_c3c1_b171), flags: 0x01, name: "GET /cart", kind: .server,
            startTimeUnixNano: 1_700_000_000_000_000_000, endTimeUnixNano: 1_700_000_000_001_000_000,
            attributes: [
                Attribute("http.method", .string("GET")),
                Attribute("http.status_code", .string("500")),
                Attribute("ids", .string(#"["1","2"]"#)),
                Attribute("ratio", .string("0.5")),
                Attribute("retry", .string("true")),
            ],
            events: [
                SpanEvent(timeUnixNano: 1_700_000_000_000_100_000, name: "cache miss", attributes: [
                    Attribute("hit", .bool(false)), Attribute("key", .string("cart:7")),
                    Attribute("ratio", .double(0.25)), Attribute("size", .int(3)),
                ]),
                SpanEvent(timeUnixNano: 1_700_000_000_000_200_000, name: "plain"),
            ],
            status: SpanStatus(code: .error, message: "payment declined"),
            resource: resource, scope: scope))

        #expect(client.kind == .client)
        #expect(client.parentSpanID == server.spanID)
        #expect(client.status == SpanStatus(code: .ok))
        #expect(client.attributes.isEmpty, "every tag of the client span was a translated one")
        #expect(client.resource == resource)
        #expect(client.scope == scope)
        #expect(client.startTimeUnixNano == 1_700_000_000_000_300_000)
        #expect(client.durationNanos == 400_000)

        #expect(internalSpan.kind == .internal, "a null kind is an internal span")
        #expect(internalSpan.status == SpanStatus())
    }

    /// What a Zipkin-native tracer (Brave style) sends: 16-digit trace ids, plain annotations,
    /// remote endpoints, shared server spans, and tags only.
    static let nativePayload = #"""
    [{
      "traceId": "463ac35c9f6413ad", "id": "72485a3953bb6124", "parentId": "a2fb4a1d1a96d312",
      "name": "get /api", "kind": "SERVER", "shared": true, "timestamp": "1700000000000000", "duration": 2500,
      "localEndpoint": {"serviceName": "backend", "ipv6": "2001:db8::c001"},
      "remoteEndpoint": {"serviceName": "frontend", "ipv4": "192.168.99.101", "port": 54321},
      "annotations": [{"timestamp": 1700000000000100, "value": "wr"}, {"timestamp": 1700000000000050, "value": "{not json"}],
      "tags": {"http.path": "/api", "service.name": "not-the-endpoint", "error": "Timeout", "otel.library.name": "brave", "otel.library.version": "6",
               "otel.dropped_attributes_count": "2", "otel.dropped_events_count": "3", "otel.dropped_links_count": "x",
               "clnt.retries": 3, "flag": true},
      "futureField": {"ignored": [1]}
    }, {
      "traceId": "463ac35c9f6413ad", "id": "0000000000000001", "name": "late", "kind": "producer",
      "annotations": [{"timestamp": 1700000000000299.6, "value": "ms"}],
      "remoteEndpoint": {"serviceName": "queue"},
      "tags": {"peer.service": "kafka", "otel.status_code": "ERROR", "otel.status_description": "broker down",
               "service.name": "publisher"}
    }]
    """#

    @Test func aZipkinNativePayloadMapsEndpointsAnnotationsAndTags() throws {
        let decoded = try ZipkinCodec.decodeJSON(Array(Self.nativePayload.utf8))
        #expect(decoded.rejected.isEmpty)
        try #require(decoded.spans.count == 2)
        let server = decoded.spans[0], producer = decoded.spans[1]

        #expect(server.traceID == TraceID(high: 0, low: 0x463a_c35c_9f64_13ad))
        #expect(server.parentSpanID == SpanID(0xa2fb_4a1d_1a96_d312))
        #expect(server.kind == .server)
        #expect(server.flags == 0)
        #expect(server.startTimeUnixNano == 1_700_000_000_000_000_000)
        #expect(server.endTimeUnixNano == 1_700_000_000_002_500_000)
        #expect(server.resource.attributes == [
            Attribute("service.name", .string("backend")), Attribute("net.host.ip", .string("2001:db8::c001")),
        ])
        #expect(server.scope == InstrumentationScope(name: "brave", version: "6"))
        #expect(server.status == SpanStatus(code: .error, message: "Timeout"))
        #expect(server.droppedAttributesCount == 2)
        #expect(server.droppedEventsCount == 3)
        #expect(server.droppedLinksCount == 0)
        #expect(server.attributes == [
            Attribute("clnt.retries", .string("3")),
            Attribute("flag", .string("true")),
            Attribute("http.path", .string("/api")),
            Attribute("otel.dropped_links_count", .string("x")),
            Attribute("service.name", .string("not-the-endpoint")),
            Attribute("peer.service", .string("frontend")),
            Attribute("net.peer.ip", .string("192.168.99.101")),
            Attribute("net.peer.port", .int(54321)),
            Attribute("zipkin.shared", .bool(true)),
        ])
        #expect(server.events == [
            SpanEvent(timeUnixNano: 1_700_000_000_000_100_000, name: "wr"),
            SpanEvent(timeUnixNano: 1_700_000_000_000_050_000, name: "{not json"),
        ])

        #expect(producer.kind == .producer)
        #expect(producer.parentSpanID == nil)
        #expect(producer.startTimeUnixNano == 1_700_000_000_000_300_000, "no timestamp: the first annotation's, rounded")
        #expect(producer.durationNanos == 0)
        #expect(producer.resource.serviceName == "publisher", "no local endpoint: the service.name tag")
        #expect(producer.status == SpanStatus(code: .error, message: "broker down"))
        #expect(producer.attributes == [Attribute("peer.service", .string("kafka"))], "a sent peer.service tag wins")
    }

    @Test func spansWithInvalidIdsOrNoTimeAreRejectedOneByOneWhileTheOthersSurvive() throws {
        func span(_ traceID: String, _ id: String, parent: String? = nil, timestamp: String = "1700000000000000") -> String {
            let parentField = parent.map { #", "parentId": "\#($0)""# } ?? ""
            return #"{"traceId": "\#(traceID)", "id": "\#(id)"\#(parentField), "timestamp": \#(timestamp), "name": "n"}"#
        }
        let good = "463ac35c9f6413ad48485a3953bb6124", goodID = "72485a3953bb6124"
        let spans = [
            span("0000000000000000", goodID),
            span(good + "00", goodID),
            span("not-hex", goodID),
            span(good, "00000000000000000"),
            span(good, "0"),
            span(good, goodID, parent: "xyz"),
            span(good, goodID, timestamp: "null"),
            span(good, goodID, parent: ""),
        ]
        let decoded = try ZipkinCodec.decodeJSON(Array("[\(spans.joined(separator: ","))]".utf8))
        #expect(decoded.rejected.map(\.reason) == [
            "invalid_trace_id", "invalid_trace_id", "invalid_trace_id", "invalid_span_id", "invalid_span_id",
            "invalid_parent_span_id", "missing_timestamp",
        ])
        #expect(decoded.spans.count == 1)
        #expect(decoded.spans.first?.parentSpanID == nil)
    }

    @Test func undecodableBodiesThrowAnIngestDecodingErrorThatSaysWhatFailed() {
        for body in ["", "{}", #"[{"traceId": 5}]"#, "[1, 2]", #"[{"timestamp": "yesterday"}]"#, "[" ] {
            #expect(performing: {
                try ZipkinCodec.decodeJSON(Array(body.utf8))
            }, throws: { error in
                guard let error = error as? IngestDecodingError else { return false }
                return error.description.hasPrefix("Zipkin JSON body could not be decoded")
            })
        }
    }

    @Test func deeplyNestedBodiesAndAnnotationValuesAreRefusedOrReadAsText() throws {
        #expect(throws: IngestDecodingError.self) {
            try ZipkinCodec.decodeJSON(Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8))
        }
        let deepValue = "{" + String(repeating: #"\"a\": {"#, count: 2_000) + String(repeating: "}", count: 2_001)
        let body = #"[{"traceId": "463ac35c9f6413ad", "id": "72485a3953bb6124", "timestamp": 1, "annotations": [{"timestamp": 1, "value": "\#(deepValue)"}]}]"#
        let decoded = try ZipkinCodec.decodeJSON(Array(body.utf8))
        #expect(decoded.spans.first?.events.first?.name.hasPrefix("{\"a\": {") == true)
    }
}
