import Ingest
import TraceModel

/// Applies the per-span limits of `IngestLimits` the way OpenTelemetry SDK span limits do, so users
/// recognise them, and counts every span it alters under its reason:
///
/// - `truncated_attribute`: a string or bytes value (of the span, its events, links, resource or
///   scope, also inside arrays and key-value lists) longer than `maxAttributeValueLength` bytes of
///   UTF-8 is cut, strings at a character boundary;
/// - `attributes_dropped`: attributes past `maxAttributesPerSpan` (of the span, or of one of its
///   events or links) are dropped, keeping the first ones in arrival order, and added to the
///   owner's dropped-attributes count;
/// - `events_dropped` / `links_dropped`: events or links past their limit are dropped and added to
///   the span's dropped-events or dropped-links count.
///
/// A span within every limit is left untouched and nothing is copied for it: this runs for every
/// ingested span.
struct SpanLimiter: Sendable {
    static let truncatedAttribute = "truncated_attribute"
    static let attributesDropped = "attributes_dropped"
    static let eventsDropped = "events_dropped"
    static let linksDropped = "links_dropped"

    let maxAttributes: Int
    let maxValueBytes: Int
    let maxEvents: Int
    let maxLinks: Int

    init(limits: IngestLimits) {
        maxAttributes = max(limits.maxAttributesPerSpan, 0)
        maxValueBytes = max(limits.maxAttributeValueLength, 0)
        maxEvents = max(limits.maxEventsPerSpan, 0)
        maxLinks = max(limits.maxLinksPerSpan, 0)
    }

    /// Limits every span of `checked` in place and counts the altered spans per reason.
    func limit(_ checked: inout CheckedSpans) {
        var tally = Tally()
        // Spans of one request share their resource and scope; each distinct one is checked once.
        var resources = SharedLimit<Resource>()
        var scopes = SharedLimit<InstrumentationScope>()
        for index in checked.spans.indices {
            var altered = Alterations()
            if let resource = resources.limited(checked.spans[index].resource, by: limitedResource) {
                checked.spans[index].resource = resource
                altered.truncated = true
            }
            if let scope = scopes.limited(checked.spans[index].scope, by: limitedScope) {
                checked.spans[index].scope = scope
                altered.truncated = true
            }
            if exceedsLimits(checked.spans[index]) {
                limitSpan(&checked.spans[index], &altered)
            }
            tally.add(altered)
        }
        checked.countAlteration(Self.truncatedAttribute, spans: tally.truncated)
        checked.countAlteration(Self.attributesDropped, spans: tally.attributesDropped)
        checked.countAlteration(Self.eventsDropped, spans: tally.eventsDropped)
        checked.countAlteration(Self.linksDropped, spans: tally.linksDropped)
    }

    // MARK: Checking (no copies)

    /// Whether anything of the span itself (not its resource or scope) is over a limit.
    func exceedsLimits(_ span: Span) -> Bool {
        if span.events.count > maxEvents || span.links.count > maxLinks { return true }
        if exceeds(span.attributes) { return true }
        for event in span.events where exceeds(event.attributes) { return true }
        for link in span.links where exceeds(link.attributes) { return true }
        return false
    }

    private func exceeds(_ attributes: [Attribute]) -> Bool {
        if attributes.count > maxAttributes { return true }
        for attribute in attributes where isTooLong(attribute.value) { return true }
        return false
    }

    private func isTooLong(_ value: AttributeValue) -> Bool {
        switch value {
        case .string(let text): return text.utf8.count > maxValueBytes
        case .bytes(let bytes): return bytes.count > maxValueBytes
        case .array(let values): return values.contains { isTooLong($0) }
        case .keyValueList(let attributes): return attributes.contains { isTooLong($0.value) }
        case .bool, .int, .double, .empty: return false
        }
    }

    private func hasTooLongValue(_ attributes: [Attribute]) -> Bool {
        attributes.contains { isTooLong($0.value) }
    }

    // MARK: Limiting (only spans that need it)

    private func limitSpan(_ span: inout Span, _ altered: inout Alterations) {
        if span.events.count > maxEvents {
            Self.add(span.events.count - maxEvents, to: &span.droppedEventsCount)
            span.events.removeSubrange(maxEvents...)
            altered.eventsDropped = true
        }
        if span.links.count > maxLinks {
            Self.add(span.links.count - maxLinks, to: &span.droppedLinksCount)
            span.links.removeSubrange(maxLinks...)
            altered.linksDropped = true
        }
        limitAttributes(&span.attributes, dropped: &span.droppedAttributesCount, &altered)
        for index in span.events.indices where exceeds(span.events[index].attributes) {
            limitEvent(&span.events[index], &altered)
        }
        for index in span.links.indices where exceeds(span.links[index].attributes) {
            limitLink(&span.links[index], &altered)
        }
    }

    private func limitEvent(_ event: inout SpanEvent, _ altered: inout Alterations) {
        limitAttributes(&event.attributes, dropped: &event.droppedAttributesCount, &altered)
    }

    private func limitLink(_ link: inout SpanLink, _ altered: inout Alterations) {
        limitAttributes(&link.attributes, dropped: &link.droppedAttributesCount, &altered)
    }

    /// Drops attributes past the count limit first (so no time is spent cutting values that go),
    /// then cuts the values that are too long.
    private func limitAttributes(_ attributes: inout [Attribute], dropped: inout UInt32, _ altered: inout Alterations) {
        if attributes.count > maxAttributes {
            Self.add(attributes.count - maxAttributes, to: &dropped)
            attributes.removeSubrange(maxAttributes...)
            altered.attributesDropped = true
        }
        if truncateValues(&attributes) { altered.truncated = true }
    }

    /// Cuts every too-long value in place; whether any was cut.
    private func truncateValues(_ attributes: inout [Attribute]) -> Bool {
        var cut = false
        for index in attributes.indices where isTooLong(attributes[index].value) {
            attributes[index].value = truncated(attributes[index].value)
            cut = true
        }
        return cut
    }

    private func truncated(_ value: AttributeValue) -> AttributeValue {
        switch value {
        case .string(let text) where text.utf8.count > maxValueBytes:
            return .string(Self.prefix(of: text, maxUTF8Bytes: maxValueBytes))
        case .bytes(let bytes) where bytes.count > maxValueBytes:
            return .bytes(Array(bytes.prefix(maxValueBytes)))
        case .array(let values):
            return .array(values.map { isTooLong($0) ? truncated($0) : $0 })
        case .keyValueList(var attributes):
            _ = truncateValues(&attributes)
            return .keyValueList(attributes)
        default:
            return value
        }
    }

    private func limitedResource(_ resource: Resource) -> Resource? {
        guard hasTooLongValue(resource.attributes) else { return nil }
        var limited = resource
        _ = truncateValues(&limited.attributes)
        return limited
    }

    private func limitedScope(_ scope: InstrumentationScope) -> InstrumentationScope? {
        guard hasTooLongValue(scope.attributes) else { return nil }
        var limited = scope
        _ = truncateValues(&limited.attributes)
        return limited
    }

    /// The longest prefix of `text` that ends at a character (grapheme cluster) boundary and takes
    /// at most `maxUTF8Bytes` bytes of UTF-8. Walks at most the kept characters plus one.
    static func prefix(of text: String, maxUTF8Bytes: Int) -> String {
        guard text.utf8.count > maxUTF8Bytes else { return text }
        var end = text.startIndex
        while end < text.endIndex {
            let next = text.index(after: end)
            guard text.utf8.distance(from: text.startIndex, to: next) <= maxUTF8Bytes else { break }
            end = next
        }
        return String(text[..<end])
    }

    private static func add(_ count: Int, to total: inout UInt32) {
        total = UInt32(clamping: UInt64(total) + UInt64(clamping: count))
    }

    // MARK: Bookkeeping

    /// The reasons one span was altered for.
    struct Alterations {
        var truncated = false
        var attributesDropped = false
        var eventsDropped = false
        var linksDropped = false
    }

    /// Spans altered per reason, over a request.
    private struct Tally {
        var truncated = 0
        var attributesDropped = 0
        var eventsDropped = 0
        var linksDropped = 0

        mutating func add(_ altered: Alterations) {
            if altered.truncated { truncated += 1 }
            if altered.attributesDropped { attributesDropped += 1 }
            if altered.eventsDropped { eventsDropped += 1 }
            if altered.linksDropped { linksDropped += 1 }
        }
    }
}

/// The limited form of the value spans share (resource, scope), worked out once per run of spans
/// carrying the same one. Comparing with the previous span's value is usually an identity check
/// (the spans of a request share their resource's storage).
private struct SharedLimit<Value: Equatable> {
    private var last: (original: Value, limited: Value?)?

    /// The limited value, or nil when `value` is within limits.
    mutating func limited(_ value: Value, by limit: (Value) -> Value?) -> Value? {
        if let last, last.original == value { return last.limited }
        let limited = limit(value)
        last = (value, limited)
        return limited
    }
}
