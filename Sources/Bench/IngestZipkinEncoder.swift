import Foundation
import TraceModel

/// Writes spans as a Zipkin v2 JSON array (the project has a Zipkin decoder only): hex ids,
/// microsecond timestamps, the service as `localEndpoint.serviceName`, attributes as string tags,
/// events as annotations, the status as `otel.status_code` / `error` tags as OpenTelemetry's
/// Zipkin exporter writes them.
public enum IngestZipkinEncoder {
    public static func encode(_ spans: [Span]) -> [UInt8] {
        var out = "["
        for (index, span) in spans.enumerated() {
            if index > 0 { out += "," }
            out += "{\"traceId\":\"\(span.traceID.hex)\",\"id\":\"\(span.spanID.hex)\""
            if let parent = span.parentSpanID { out += ",\"parentId\":\"\(parent.hex)\"" }
            out += ",\"name\":\(quoted(span.name))"
            if let kind = kind(span.kind) { out += ",\"kind\":\"\(kind)\"" }
            out += ",\"timestamp\":\(span.startTimeUnixNano / 1_000),\"duration\":\(max(1, span.durationNanos / 1_000))"
            out += ",\"localEndpoint\":{\"serviceName\":\(quoted(span.serviceName))}"
            var tags: [(String, String)] = span.attributes.map { ($0.key, $0.value.text) }
            if span.isError {
                tags.append(("otel.status_code", "ERROR"))
                tags.append(("error", span.status.message))
            }
            out += ",\"tags\":{" + tags.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "}"
            if !span.events.isEmpty {
                out += ",\"annotations\":[" + span.events.map {
                    "{\"timestamp\":\($0.timeUnixNano / 1_000),\"value\":\(quoted($0.name))}"
                }.joined(separator: ",") + "]"
            }
            out += "}"
        }
        out += "]"
        return Array(out.utf8)
    }

    private static func kind(_ kind: SpanKind) -> String? {
        switch kind {
        case .server: return "SERVER"
        case .client: return "CLIENT"
        case .producer: return "PRODUCER"
        case .consumer: return "CONSUMER"
        default: return nil
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
