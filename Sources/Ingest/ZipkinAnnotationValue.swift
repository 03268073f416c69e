import Foundation
import TraceModel

/// Reads an annotation value back into an event name and attributes. OpenTelemetry's Zipkin
/// exporters write an event as the JSON text `{"<name>": {<attributes>}}`; anything else is a
/// plain Zipkin annotation whose value is the event name.
enum ZipkinAnnotationValue {
    static func event(_ annotation: ZipkinJSON.Annotation) -> SpanEvent {
        let timeUnixNano = Span.nanos(micros: annotation.timestamp)
        let value = annotation.value
        if value.hasPrefix("{"), value.hasSuffix("}"), !JSONNesting.exceeds(value.utf8, limit: 8),
           let object = try? JSONDecoder().decode([String: [String: EventValue]].self, from: Data(value.utf8)),
           object.count == 1, let (name, attributes) = object.first {
            return SpanEvent(
                timeUnixNano: timeUnixNano,
                name: name,
                attributes: attributes.sorted { $0.key < $1.key }.map { Attribute($0.key, $0.value.value) }
            )
        }
        return SpanEvent(timeUnixNano: timeUnixNano, name: value)
    }

    /// An event attribute as the exporter wrote it (JSON scalar or array of scalars).
    struct EventValue: Decodable {
        var value: AttributeValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            value = try container.zipkinScalar() ?? .array(container.decode([EventValue].self).map(\.value))
        }
    }
}
