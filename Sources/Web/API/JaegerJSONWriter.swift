import Foundation
import Hummingbird

/// Writes Jaeger API traces as JSON bytes in one pass, without `JSONEncoder`'s intermediate tree:
/// a 1,000-span trace holds some 15,000 tags, and encoding them through `Codable` cost more than
/// reading the trace from PostgreSQL.
///
/// The output reads exactly as `JSONEncoder` (with `.withoutEscapingSlashes`) writes the same
/// `JaegerResponse` — same keys, same values, strings escaped alike, numbers alike (`1` for
/// `1.0`, `1e-07`, `1e+300`, `-0`) — except that object keys come in a fixed order (declaration
/// order, processes `p1`, `p2`, …) where `JSONEncoder` emits them in hash order.
struct JaegerJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// `{"data":[traces],"total":n,"limit":0,"offset":0,"errors":null}`.
    static func response(traces: [JaegerTrace], total: Int) -> [UInt8] {
        let spanCount = traces.reduce(0) { $0 + $1.spans.count }
        var writer = JaegerJSONWriter(capacity: 256 + spanCount * 1_400)
        writer.raw("{\"data\":[")
        for (index, trace) in traces.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.write(trace)
        }
        writer.raw("],\"total\":")
        writer.integer(Int64(total))
        writer.raw(",\"limit\":0,\"offset\":0,\"errors\":null}")
        return writer.bytes
    }

    mutating func write(_ trace: JaegerTrace) {
        raw("{\"traceID\":")
        string(trace.traceID)
        raw(",\"spans\":[")
        for (index, span) in trace.spans.enumerated() {
            if index > 0 { raw(",") }
            write(span)
        }
        raw("],\"processes\":{")
        let processIDs = trace.processes.keys.sorted { ($0.utf8.count, $0) < ($1.utf8.count, $1) }
        for (index, processID) in processIDs.enumerated() {
            guard let process = trace.processes[processID] else { continue }
            if index > 0 { raw(",") }
            string(processID)
            raw(":{\"serviceName\":")
            string(process.serviceName)
            raw(",\"tags\":")
            write(process.tags)
            raw("}")
        }
        raw("},\"warnings\":")
        write(trace.warnings)
        raw("}")
    }

    mutating func write(_ span: JaegerSpan) {
        raw("{\"traceID\":")
        string(span.traceID)
        raw(",\"spanID\":")
        string(span.spanID)
        raw(",\"flags\":")
        unsigned(UInt64(span.flags))
        raw(",\"operationName\":")
        string(span.operationName)
        raw(",\"references\":[")
        for (index, reference) in span.references.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"refType\":")
            string(reference.refType)
            raw(",\"traceID\":")
            string(reference.traceID)
            raw(",\"spanID\":")
            string(reference.spanID)
            raw("}")
        }
        raw("],\"startTime\":")
        unsigned(span.startTime)
        raw(",\"duration\":")
        unsigned(span.duration)
        raw(",\"tags\":")
        write(span.tags)
        raw(",\"logs\":[")
        for (index, log) in span.logs.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"timestamp\":")
            unsigned(log.timestamp)
            raw(",\"fields\":")
            write(log.fields)
            raw("}")
        }
        raw("],\"processID\":")
        string(span.processID)
        raw(",\"warnings\":")
        write(span.warnings)
        raw("}")
    }

    mutating func write(_ tags: [JaegerKeyValue]) {
        raw("[")
        for (index, tag) in tags.enumerated() {
            if index > 0 { raw(",") }
            write(tag)
        }
        raw("]")
    }

    mutating func write(_ tag: JaegerKeyValue) {
        raw("{\"key\":")
        string(tag.key)
        switch tag.value {
        case .string(let text):
            raw(",\"type\":\"string\",\"value\":")
            string(text)
        case .bool(let flag):
            raw(flag ? ",\"type\":\"bool\",\"value\":true" : ",\"type\":\"bool\",\"value\":false")
        case .int64(let number):
            raw(",\"type\":\"int64\",\"value\":")
            integer(number)
        case .float64(let number):
            raw(",\"type\":\"float64\",\"value\":")
            if number.isFinite {
                double(number)
            } else {
                // JSON has no NaN or infinity; Go's encoder would fail, we keep the trace readable.
                string(String(number))
            }
        case .binary(let bytes):
            raw(",\"type\":\"binary\",\"value\":")
            string(Data(bytes).base64EncodedString())
        }
        raw("}")
    }

    mutating func write(_ warnings: [String]?) {
        guard let warnings else { return raw("null") }
        raw("[")
        for (index, warning) in warnings.enumerated() {
            if index > 0 { raw(",") }
            string(warning)
        }
        raw("]")
    }

    // MARK: Values

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string literal, escaped as `JSONEncoder` escapes: `"` `\` and the control characters
    /// below U+0020 (`\b \f \n \r \t`, else `\u00XX`); everything else (also `/`) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(Self.hexDigit(byte >> 4))
                    bytes.append(Self.hexDigit(byte & 0xF))
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    mutating func unsigned(_ value: UInt64) {
        DecimalDigits.append(value, to: &bytes)
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        unsigned(value.magnitude)
    }

    /// A finite double as `JSONEncoder` writes it: Swift's shortest round-trip text without a
    /// trailing `.0`.
    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }
}

extension JaegerJSON {
    /// Traces as the Jaeger API answers them (`/api/traces/{id}`, `/api/traces`), written by
    /// `JaegerJSONWriter`; chosen over the generic `data(_:total:)` for trace lists.
    static func data(_ traces: [JaegerTrace], total: Int) -> Response {
        bytesResponse(JaegerJSONWriter.response(traces: traces, total: total))
    }
}
