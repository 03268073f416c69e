import Foundation
import TraceModel

extension AttributeValue {
    /// The domain value of an OTLP `AnyValue`; a value with nothing set is `.empty`.
    init(_ proto: ProtoAnyValue) {
        switch proto.value {
        case .stringValue(let value)?: self = .string(value)
        case .boolValue(let value)?: self = .bool(value)
        case .intValue(let value)?: self = .int(value)
        case .doubleValue(let value)?: self = .double(value)
        case .bytesValue(let value)?: self = .bytes([UInt8](value))
        case .arrayValue(let array)?: self = .array(array.values.map(AttributeValue.init))
        case .kvlistValue(let list)?: self = .keyValueList(list.values.map(Attribute.init))
        // String-table indexes only appear in profiles, which carry the table; spans never do.
        case .stringValueStrindex?, nil: self = .empty
        }
    }
}

extension ProtoAnyValue {
    init(_ value: AttributeValue) {
        self.init()
        switch value {
        case .string(let string): self.value = .stringValue(string)
        case .bool(let bool): self.value = .boolValue(bool)
        case .int(let int): self.value = .intValue(int)
        case .double(let double): self.value = .doubleValue(double)
        case .bytes(let bytes): self.value = .bytesValue(Data(bytes))
        case .array(let values):
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            array.values = values.map(ProtoAnyValue.init)
            self.value = .arrayValue(array)
        case .keyValueList(let attributes):
            var list = Opentelemetry_Proto_Common_V1_KeyValueList()
            list.values = attributes.map(ProtoKeyValue.init)
            self.value = .kvlistValue(list)
        case .empty: self.value = nil
        }
    }
}
