import Foundation
import TraceModel

/// A typed Jaeger tag: `{"key", "type": "string|bool|int64|float64|binary", "value"}`.
struct JaegerKeyValue: Encodable, Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case string(String)
        case bool(Bool)
        case int64(Int64)
        case float64(Double)
        case binary([UInt8])
    }

    var key: String
    var value: Value

    init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }

    /// Maps an OpenTelemetry attribute the way Jaeger's OTLP translator does: arrays and
    /// key-value lists become their JSON text.
    init(_ attribute: Attribute) {
        self.key = attribute.key
        switch attribute.value {
        case .string(let text): self.value = .string(text)
        case .bool(let flag): self.value = .bool(flag)
        case .int(let number): self.value = .int64(number)
        case .double(let number): self.value = .float64(number)
        case .bytes(let bytes): self.value = .binary(bytes)
        case .array, .keyValueList: self.value = .string(attribute.value.jsonText)
        case .empty: self.value = .string("")
        }
    }

    enum CodingKeys: String, CodingKey {
        case key, type, value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        switch value {
        case .string(let text):
            try container.encode("string", forKey: .type)
            try container.encode(text, forKey: .value)
        case .bool(let flag):
            try container.encode("bool", forKey: .type)
            try container.encode(flag, forKey: .value)
        case .int64(let number):
            try container.encode("int64", forKey: .type)
            try container.encode(number, forKey: .value)
        case .float64(let number):
            try container.encode("float64", forKey: .type)
            if number.isFinite {
                try container.encode(number, forKey: .value)
            } else {
                // JSON has no NaN or infinity; Go's encoder would fail, we keep the trace readable.
                try container.encode(String(number), forKey: .value)
            }
        case .binary(let bytes):
            try container.encode("binary", forKey: .type)
            try container.encode(Data(bytes).base64EncodedString(), forKey: .value)
        }
    }
}
