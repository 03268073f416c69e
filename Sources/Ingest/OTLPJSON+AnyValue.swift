import TraceModel

extension OTLPJSON {
    /// `AnyValue`: an object with at most one of the typed value fields.
    struct AnyValue: Decodable {
        var value: AttributeValue

        private enum CodingKeys: String, CodingKey {
            case stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue
        }

        /// `ArrayValue` and `KeyValueList` both hold their items under `values`.
        private enum ValuesKey: String, CodingKey {
            case values
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let string = try container.decodeIfPresent(String.self, forKey: .stringValue) {
                value = .string(string)
            } else if let bool = try container.decodeIfPresent(Bool.self, forKey: .boolValue) {
                value = .bool(bool)
            } else if try container.isPresent(.intValue) {
                value = .int(try container.integer(.intValue))
            } else if try container.isPresent(.doubleValue) {
                value = .double(try container.double(.doubleValue))
            } else if try container.isPresent(.arrayValue) {
                let array = try container.nestedContainer(keyedBy: ValuesKey.self, forKey: .arrayValue)
                value = .array(try array.list(.values, of: AnyValue.self).map(\.value))
            } else if try container.isPresent(.kvlistValue) {
                let list = try container.nestedContainer(keyedBy: ValuesKey.self, forKey: .kvlistValue)
                value = .keyValueList(try list.list(.values, of: KeyValue.self).map(\.attribute))
            } else if try container.isPresent(.bytesValue) {
                value = .bytes(try container.base64(.bytesValue))
            } else {
                value = .empty
            }
        }
    }

    /// `KeyValue`: an attribute.
    struct KeyValue: Decodable {
        var attribute: Attribute

        private enum CodingKeys: String, CodingKey {
            case key, value
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            attribute = Attribute(
                try container.string(.key),
                try container.decodeIfPresent(AnyValue.self, forKey: .value)?.value ?? .empty
            )
        }
    }
}

extension KeyedDecodingContainer {
    /// A repeated `KeyValue` field as domain attributes.
    func attributes(_ key: Key) throws -> [Attribute] {
        try list(key, of: OTLPJSON.KeyValue.self).map(\.attribute)
    }
}
