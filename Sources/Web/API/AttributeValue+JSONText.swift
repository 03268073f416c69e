import Foundation
import TraceModel

extension AttributeValue {
    /// OpenTelemetry's `AsString` rendering of structured values: JSON, bytes as base64.
    var jsonText: String {
        switch self {
        case .string(let text): return text
        default: return String(decoding: Self.json(self), as: UTF8.self)
        }
    }

    private static func json(_ value: AttributeValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    private static func append(_ value: AttributeValue, to out: inout [UInt8]) {
        switch value {
        case .string(let text): appendQuoted(text, to: &out)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .int(let number): out += Array(String(number).utf8)
        case .double(let number):
            if number.isFinite {
                out += Array(String(number).utf8)
            } else {
                appendQuoted(String(number), to: &out)
            }
        case .bytes(let bytes): appendQuoted(Data(bytes).base64EncodedString(), to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .keyValueList(let attributes):
            out.append(UInt8(ascii: "{"))
            for (index, attribute) in attributes.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendQuoted(attribute.key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(attribute.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .empty: out += Array("null".utf8)
        }
    }

    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array(#"\""#.utf8)
            case "\\": out += Array(#"\\"#.utf8)
            case "\n": out += Array(#"\n"#.utf8)
            case "\r": out += Array(#"\r"#.utf8)
            case "\t": out += Array(#"\t"#.utf8)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
