import TraceModel

/// Reads a binary `ExportTraceServiceRequest` straight from its wire bytes into domain spans,
/// without building swift-protobuf's message tree first (one object per span, a `Data` per id,
/// arrays of `KeyValue` messages, all copied again into the domain model): the ingest hot path.
///
/// It handles what exporters send: every field of the messages below with its declared wire type,
/// unknown fields skipped. Anything where swift-protobuf's answer is subtler — a singular message
/// field given twice (merged), an attribute value set twice, a known field with another wire type,
/// groups, entity references, string-table indexes, invalid UTF-8, nesting deeper than
/// `nestingLimit`, truncated or malformed data — makes `decode` return nil, and the caller decodes
/// the body with swift-protobuf, whose result (or error) stays the reference. Either way the
/// spans are the same.
enum OTLPProtobufReader {
    /// Deepest message nesting read here (an attribute value inside an event is 7 deep); deeper
    /// bodies go to swift-protobuf and its depth limit.
    static let nestingLimit = 64

    /// The spans of the request, or nil when the body needs swift-protobuf (see above).
    static func decode(_ bytes: [UInt8]) -> DecodedSpans? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = ProtobufWireReader(buffer)
            var decoded = DecodedSpans()
            do {
                while let (field, wireType) = try reader.nextField() {
                    if field == 1 {
                        try reader.expect(wireType, .lengthDelimited)
                        var group = try reader.message(depth: 1)
                        try readResourceSpans(&group, into: &decoded)
                    } else {
                        try reader.skip(wireType)
                    }
                }
            } catch {
                return nil
            }
            return decoded
        }
    }

    // MARK: Groups

    private static func readResourceSpans(_ reader: inout ProtobufWireReader, into decoded: inout DecodedSpans) throws(ProtobufWireReader.Unsupported) {
        var attributes: [Attribute] = []
        var droppedAttributes: UInt32 = 0
        var schemaURL = ""
        var sawResource = false
        var scopeGroups: [ProtobufWireReader] = []
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited)
                guard !sawResource else { throw .init() }
                sawResource = true
                var resource = try reader.message(depth: reader.depth + 1)
                while let (field, wireType) = try resource.nextField() {
                    switch field {
                    case 1:
                        try resource.expect(wireType, .lengthDelimited)
                        var keyValue = try resource.message(depth: resource.depth + 1)
                        attributes.append(try readKeyValue(&keyValue))
                    case 2:
                        try resource.expect(wireType, .varint)
                        droppedAttributes = UInt32(truncatingIfNeeded: try resource.varint())
                    case 3: throw .init()  // entity references: left to swift-protobuf
                    default: try resource.skip(wireType)
                    }
                }
            case 2:
                try reader.expect(wireType, .lengthDelimited)
                scopeGroups.append(try reader.message(depth: reader.depth + 1))
            case 3:
                try reader.expect(wireType, .lengthDelimited)
                schemaURL = try reader.string()
            default:
                try reader.skip(wireType)
            }
        }
        // The schema URL may follow the scope groups on the wire, so they are read after it.
        let resource = Resource(attributes: attributes, droppedAttributesCount: droppedAttributes, schemaURL: schemaURL)
        for var group in scopeGroups {
            try readScopeSpans(&group, resource: resource, into: &decoded)
        }
    }

    private static func readScopeSpans(
        _ reader: inout ProtobufWireReader, resource: Resource, into decoded: inout DecodedSpans
    ) throws(ProtobufWireReader.Unsupported) {
        var name = "", version = ""
        var attributes: [Attribute] = []
        var droppedAttributes: UInt32 = 0
        var schemaURL = ""
        var sawScope = false
        var spanMessages: [ProtobufWireReader] = []
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited)
                guard !sawScope else { throw .init() }
                sawScope = true
                var scope = try reader.message(depth: reader.depth + 1)
                while let (field, wireType) = try scope.nextField() {
                    switch field {
                    case 1: try scope.expect(wireType, .lengthDelimited); name = try scope.string()
                    case 2: try scope.expect(wireType, .lengthDelimited); version = try scope.string()
                    case 3:
                        try scope.expect(wireType, .lengthDelimited)
                        var keyValue = try scope.message(depth: scope.depth + 1)
                        attributes.append(try readKeyValue(&keyValue))
                    case 4:
                        try scope.expect(wireType, .varint)
                        droppedAttributes = UInt32(truncatingIfNeeded: try scope.varint())
                    default: try scope.skip(wireType)
                    }
                }
            case 2:
                try reader.expect(wireType, .lengthDelimited)
                spanMessages.append(try reader.message(depth: reader.depth + 1))
            case 3:
                try reader.expect(wireType, .lengthDelimited)
                schemaURL = try reader.string()
            default:
                try reader.skip(wireType)
            }
        }
        let scope = InstrumentationScope(
            name: name, version: version, attributes: attributes, droppedAttributesCount: droppedAttributes, schemaURL: schemaURL)
        decoded.spans.reserveCapacity(decoded.spans.count + spanMessages.count)
        for var message in spanMessages {
            let wire = try readSpan(&message)
            do {
                decoded.spans.append(try wire.span(resource: resource, scope: scope))
            } catch {
                decoded.rejected.append(error.rejection)
            }
        }
    }

    // MARK: Span

    /// A span's fields as read, before its ids are checked.
    private struct WireSpan {
        var traceID: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0)
        var spanID: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0)
        var parentSpanID: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0)
        var traceState = ""
        var name = ""
        var kind: Int32 = 0
        var start: UInt64 = 0
        var end: UInt64 = 0
        var attributes: [Attribute] = []
        var droppedAttributes: UInt32 = 0
        var events: [SpanEvent] = []
        var droppedEvents: UInt32 = 0
        var links: [SpanLink] = []
        var malformedLinks: UInt32 = 0
        var droppedLinks: UInt32 = 0
        var status = SpanStatus()
        var flags: UInt32 = 0

        /// The domain span, as `Span.init(_:resource:scope:)` makes it from the swift-protobuf message.
        func span(resource: Resource, scope: InstrumentationScope) throws(InvalidSpan) -> Span {
            let traceID = try TraceID.required(bytes: traceID)
            let spanID = try SpanID.required(bytes: spanID)
            let parentSpanID = try SpanID.parent(bytes: parentSpanID)
            return Span(
                traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, traceState: traceState, flags: flags,
                name: name, kind: SpanKind(rawValue: Int(kind)) ?? .unspecified,
                startTimeUnixNano: start, endTimeUnixNano: end,
                attributes: attributes, droppedAttributesCount: droppedAttributes,
                events: events, droppedEventsCount: droppedEvents,
                links: links, droppedLinksCount: droppedLinks &+ malformedLinks,
                status: status, resource: resource, scope: scope)
        }
    }

    private static func readSpan(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> WireSpan {
        var span = WireSpan()
        var sawStatus = false
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(wireType, .lengthDelimited); span.traceID = try reader.bytes()
            case 2: try reader.expect(wireType, .lengthDelimited); span.spanID = try reader.bytes()
            case 3: try reader.expect(wireType, .lengthDelimited); span.traceState = try reader.string()
            case 4: try reader.expect(wireType, .lengthDelimited); span.parentSpanID = try reader.bytes()
            case 5: try reader.expect(wireType, .lengthDelimited); span.name = try reader.string()
            case 6: try reader.expect(wireType, .varint); span.kind = Int32(truncatingIfNeeded: try reader.varint())
            case 7: try reader.expect(wireType, .fixed64); span.start = try reader.fixed64()
            case 8: try reader.expect(wireType, .fixed64); span.end = try reader.fixed64()
            case 9:
                try reader.expect(wireType, .lengthDelimited)
                var keyValue = try reader.message(depth: reader.depth + 1)
                span.attributes.append(try readKeyValue(&keyValue))
            case 10: try reader.expect(wireType, .varint); span.droppedAttributes = UInt32(truncatingIfNeeded: try reader.varint())
            case 11:
                try reader.expect(wireType, .lengthDelimited)
                var event = try reader.message(depth: reader.depth + 1)
                span.events.append(try readEvent(&event))
            case 12: try reader.expect(wireType, .varint); span.droppedEvents = UInt32(truncatingIfNeeded: try reader.varint())
            case 13:
                try reader.expect(wireType, .lengthDelimited)
                var link = try reader.message(depth: reader.depth + 1)
                if let link = try readLink(&link) { span.links.append(link) } else { span.malformedLinks &+= 1 }
            case 14: try reader.expect(wireType, .varint); span.droppedLinks = UInt32(truncatingIfNeeded: try reader.varint())
            case 15:
                try reader.expect(wireType, .lengthDelimited)
                guard !sawStatus else { throw .init() }
                sawStatus = true
                var status = try reader.message(depth: reader.depth + 1)
                span.status = try readStatus(&status)
            case 16: try reader.expect(wireType, .fixed32); span.flags = try reader.fixed32()
            default: try reader.skip(wireType)
            }
        }
        return span
    }

    private static func readEvent(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> SpanEvent {
        var event = SpanEvent(timeUnixNano: 0, name: "")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(wireType, .fixed64); event.timeUnixNano = try reader.fixed64()
            case 2: try reader.expect(wireType, .lengthDelimited); event.name = try reader.string()
            case 3:
                try reader.expect(wireType, .lengthDelimited)
                var keyValue = try reader.message(depth: reader.depth + 1)
                event.attributes.append(try readKeyValue(&keyValue))
            case 4: try reader.expect(wireType, .varint); event.droppedAttributesCount = UInt32(truncatingIfNeeded: try reader.varint())
            default: try reader.skip(wireType)
            }
        }
        return event
    }

    /// nil for a link with malformed ids (counted as dropped, as `SpanLink.init?(_:)` does).
    private static func readLink(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> SpanLink? {
        var traceBytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0), spanBytes = traceBytes
        var traceState = ""
        var attributes: [Attribute] = []
        var dropped: UInt32 = 0
        var flags: UInt32 = 0
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(wireType, .lengthDelimited); traceBytes = try reader.bytes()
            case 2: try reader.expect(wireType, .lengthDelimited); spanBytes = try reader.bytes()
            case 3: try reader.expect(wireType, .lengthDelimited); traceState = try reader.string()
            case 4:
                try reader.expect(wireType, .lengthDelimited)
                var keyValue = try reader.message(depth: reader.depth + 1)
                attributes.append(try readKeyValue(&keyValue))
            case 5: try reader.expect(wireType, .varint); dropped = UInt32(truncatingIfNeeded: try reader.varint())
            case 6: try reader.expect(wireType, .fixed32); flags = try reader.fixed32()
            default: try reader.skip(wireType)
            }
        }
        guard let traceID = TraceID(bytes: traceBytes), traceID.isValid,
              let spanID = SpanID(bytes: spanBytes), spanID.isValid else { return nil }
        return SpanLink(traceID: traceID, spanID: spanID, traceState: traceState, attributes: attributes,
                        droppedAttributesCount: dropped, flags: flags)
    }

    private static func readStatus(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> SpanStatus {
        var message = ""
        var code: Int32 = 0
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 2: try reader.expect(wireType, .lengthDelimited); message = try reader.string()
            case 3: try reader.expect(wireType, .varint); code = Int32(truncatingIfNeeded: try reader.varint())
            default: try reader.skip(wireType)
            }
        }
        return SpanStatus(code: SpanStatus.Code(rawValue: Int(code)) ?? .unset, message: message)
    }

    // MARK: Attributes

    private static func readKeyValue(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> Attribute {
        var key = ""
        var value = AttributeValue.empty
        var sawValue = false
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: try reader.expect(wireType, .lengthDelimited); key = try reader.string()
            case 2:
                try reader.expect(wireType, .lengthDelimited)
                guard !sawValue else { throw .init() }
                sawValue = true
                var any = try reader.message(depth: reader.depth + 1)
                value = try readAnyValue(&any)
            case 3: try reader.expect(wireType, .varint); _ = try reader.varint()  // key string-table index: profiles only
            default: try reader.skip(wireType)
            }
        }
        return Attribute(key, value)
    }

    private static func readAnyValue(_ reader: inout ProtobufWireReader) throws(ProtobufWireReader.Unsupported) -> AttributeValue {
        var value = AttributeValue.empty
        var sawValue = false
        while let (field, wireType) = try reader.nextField() {
            guard (1...8).contains(field) else {
                try reader.skip(wireType)
                continue
            }
            guard !sawValue else { throw .init() }
            sawValue = true
            switch field {
            case 1: try reader.expect(wireType, .lengthDelimited); value = .string(try reader.string())
            case 2: try reader.expect(wireType, .varint); value = .bool(try reader.varint() != 0)
            case 3: try reader.expect(wireType, .varint); value = .int(Int64(bitPattern: try reader.varint()))
            case 4: try reader.expect(wireType, .fixed64); value = .double(Double(bitPattern: try reader.fixed64()))
            case 5:
                try reader.expect(wireType, .lengthDelimited)
                var array = try reader.message(depth: reader.depth + 1)
                var values: [AttributeValue] = []
                while let (field, wireType) = try array.nextField() {
                    guard field == 1 else { try array.skip(wireType); continue }
                    try array.expect(wireType, .lengthDelimited)
                    var element = try array.message(depth: array.depth + 1)
                    values.append(try readAnyValue(&element))
                }
                value = .array(values)
            case 6:
                try reader.expect(wireType, .lengthDelimited)
                var list = try reader.message(depth: reader.depth + 1)
                var attributes: [Attribute] = []
                while let (field, wireType) = try list.nextField() {
                    guard field == 1 else { try list.skip(wireType); continue }
                    try list.expect(wireType, .lengthDelimited)
                    var keyValue = try list.message(depth: list.depth + 1)
                    attributes.append(try readKeyValue(&keyValue))
                }
                value = .keyValueList(attributes)
            case 7: try reader.expect(wireType, .lengthDelimited); value = .bytes(Array(try reader.bytes()))
            default: throw .init()  // string-table index: left to swift-protobuf
            }
        }
        return value
    }
}
