import NIOCore
import TraceModel

/// A write batch turned into column arrays (one element per span) ready to bind to `unnest`,
/// plus the dictionary entries and attribute keys it needs.
struct SpanBatch: Sendable {
    struct Row: Sendable {
        var operation: OperationName
        var resourceHash: [UInt8]
        var scopeHash: [UInt8]
    }

    struct Columns: Sendable {
        var traceIDs: [ByteBuffer] = []
        var spanIDs: [ByteBuffer] = []
        /// Empty for a root span (stored as NULL).
        var parentSpanIDs: [ByteBuffer] = []
        var starts: [Int64] = []
        var durations: [Int64] = []
        var kinds: [Int16] = []
        var statusCodes: [Int16] = []
        var statusMessages: [String] = []
        var traceStates: [String] = []
        var flags: [Int64] = []
        var httpRoutes: [String] = []
        /// -1 when absent (stored as NULL).
        var httpStatusCodes: [Int32] = []
        var dbSystems: [String] = []
        var peerServices: [String] = []
        var isErrors: [Bool] = []
        var attributes: [String] = []
        /// Empty when there are none (stored as NULL).
        var events: [String] = []
        var links: [String] = []
        var droppedAttributes: [Int32] = []
        var droppedEvents: [Int32] = []
        var droppedLinks: [Int32] = []
    }

    struct AttributeKeyEntry: Hashable, Sendable {
        var key: String
        var source: Int16
        var valueType: Int16
    }

    /// `attribute_keys.source` values.
    enum Source: Int16 {
        case span = 0, resource, event
    }

    var rows: [Row] = []
    var columns = Columns()
    var services: Set<String> = []
    var operations: Set<OperationName> = []
    var resources: [[UInt8]: DictionaryEntry] = [:]
    var scopes: [[UInt8]: DictionaryEntry] = [:]
    /// UTC days the spans start on.
    var days: Set<Int64> = []
    /// Sorted by key then source, one entry per (key, source).
    var attributeKeys: [AttributeKeyEntry] = []

    init(_ spans: [Span]) {
        // Per distinct resource: its hash and its service name (spans from one resource share both).
        var resourceInfo = Memo<Resource, (hash: [UInt8], service: String)>()
        var scopeHashes = Memo<InstrumentationScope, [UInt8]>()
        var keys: [AttributeKeyEntry: Int16] = [:]
        func noteKeys(_ attributes: [Attribute], _ source: Source) {
            for attribute in attributes {
                keys[AttributeKeyEntry(key: attribute.key, source: source.rawValue, valueType: 0)] =
                    StoredAttributes.valueType(attribute.value).rawValue
            }
        }
        var json = StoredJSONTextWriter()
        rows.reserveCapacity(spans.count)
        for span in spans {
            let (resourceHash, service) = resourceInfo.value(for: span.resource) { resource in
                let entry = DictionaryEntry(resource)
                resources[entry.hash] = entry
                noteKeys(resource.attributes, .resource)
                return (entry.hash, resource.serviceName.storedText)
            }
            let scopeHash = scopeHashes.value(for: span.scope) { scope in
                let entry = DictionaryEntry(scope)
                scopes[entry.hash] = entry
                return entry.hash
            }
            let operation = OperationName(service: service, name: span.name.storedText, kind: Int16(span.kind.rawValue))
            services.insert(service)
            operations.insert(operation)
            rows.append(Row(operation: operation, resourceHash: resourceHash, scopeHash: scopeHash))
            noteKeys(span.attributes, .span)
            for event in span.events { noteKeys(event.attributes, .event) }
            append(span, json: &json)
        }
        // Keys are made storable once here, not once per attribute (raw keys that differ only by
        // U+0000 against U+FFFD become one entry with one of their value types).
        var storableKeys: [AttributeKeyEntry: Int16] = [:]
        for (entry, valueType) in keys {
            storableKeys[AttributeKeyEntry(key: entry.key.storedText, source: entry.source, valueType: 0)] = valueType
        }
        attributeKeys = storableKeys.map { AttributeKeyEntry(key: $0.key.key, source: $0.key.source, valueType: $0.value) }
            .sorted { ($0.key, $0.source) < ($1.key, $1.source) }
    }

    private mutating func append(_ span: Span, json: inout StoredJSONTextWriter) {
        let start = PostgresTraceStore.storedNanos(span.startTimeUnixNano)
        let end = PostgresTraceStore.storedNanos(span.endTimeUnixNano)
        days.insert(PostgresTraceStore.day(ofNanos: start))
        let promoted = PromotedAttributes(span.attributes)
        columns.traceIDs.append(ByteBuffer(bytes: span.traceID.bytes))
        columns.spanIDs.append(ByteBuffer(bytes: span.spanID.bytes))
        columns.parentSpanIDs.append(span.parentSpanID.map { ByteBuffer(bytes: $0.bytes) } ?? ByteBuffer())
        columns.starts.append(start)
        columns.durations.append(end - start)
        columns.kinds.append(Int16(span.kind.rawValue))
        columns.statusCodes.append(Int16(span.status.code.rawValue))
        columns.statusMessages.append(span.status.message.storedText)
        columns.traceStates.append(span.traceState.storedText)
        columns.flags.append(Int64(span.flags))
        columns.httpRoutes.append(promoted.httpRoute)
        columns.httpStatusCodes.append(promoted.httpStatusCode)
        columns.dbSystems.append(promoted.dbSystem)
        columns.peerServices.append(promoted.peerService)
        columns.isErrors.append(span.isError)
        json.writeAttributes(span.attributes)
        columns.attributes.append(json.take())
        json.writeEvents(span.events)
        columns.events.append(json.take())
        json.writeLinks(span.links)
        columns.links.append(json.take())
        columns.droppedAttributes.append(Int32(clamping: span.droppedAttributesCount))
        columns.droppedEvents.append(Int32(clamping: span.droppedEventsCount))
        columns.droppedLinks.append(Int32(clamping: span.droppedLinksCount))
    }
}

/// What a batch derives from each distinct resource or scope, derived once per value.
private struct Memo<Key: Hashable, Value> {
    private var last: (key: Key, value: Value)?
    private var known: [Key: Value] = [:]

    /// The value for `key`, made by `make` on its first sight. The spans of one request share their
    /// resource's and scope's storage, so comparing with the previous span's key is usually an
    /// identity check that spares hashing every attribute of it again.
    mutating func value(for key: Key, make: (Key) -> Value) -> Value {
        if let last, last.key == key { return last.value }
        let value: Value
        if let found = known[key] {
            value = found
        } else {
            value = make(key)
            known[key] = value
        }
        last = (key, value)
        return value
    }
}

/// The hot attributes copied into their own columns (they stay in the JSONB too), from the
/// current and the older semantic-convention names. Empty / -1 when absent.
struct PromotedAttributes {
    var httpRoute = ""
    var httpStatusCode: Int32 = -1
    var dbSystem = ""
    var peerService = ""

    init(_ attributes: [Attribute]) {
        for attribute in attributes {
            switch attribute.key {
            case "http.route":
                if case .string(let value) = attribute.value { httpRoute = value.storedText }
            case "http.response.status_code", "http.status_code":
                switch attribute.value {
                case .int(let value): if let code = Int32(exactly: value), code >= 0 { httpStatusCode = code }
                case .string(let value): if let code = Int32(value), code >= 0 { httpStatusCode = code }
                default: break
                }
            case "db.system.name", "db.system":
                if case .string(let value) = attribute.value { dbSystem = value.storedText }
            case "peer.service", "service.peer.name":
                if case .string(let value) = attribute.value { peerService = value.storedText }
            default: continue
            }
        }
    }
}

extension String {
    /// `storable` (U+0000 becomes U+FFFD), with the check done on the UTF-8 bytes: most strings
    /// hold no U+0000 and come back as they are, without Foundation's locale-aware search.
    var storedText: String {
        guard utf8.contains(0) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }
}
