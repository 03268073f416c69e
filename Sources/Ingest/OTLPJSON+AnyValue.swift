import TraceModel

extension OTLPJSON {
    /// `AnyValue`: an object with at most one of the typed value fields.
    struct AnyValue: Codable {
        var value: AttributeValue

        init(_ value: AttributeValue) {
            self.value = value
        }

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

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch value {
            case .string(let string): try container.encode(string, forKey: .stringValue)
            case .bool(let bool): try container.encode(bool, forKey: .boolValue)
            case .int(let int): try container.encode(String(int), forKey: .intValue)
            case .double(let double): try container.encode(protoJSONDouble: double, forKey: .doubleValue)
            case .bytes(let bytes): try container.encode(Base64.encode(bytes), forKey: .bytesValue)
            case .array(let values):
                var array = container.nestedContainer(keyedBy: ValuesKey.self, forKey: .arrayValue)
                try array.encode(values.map(AnyValue.init), skippingEmpty: .values)
            case .keyValueList(let attributes):
                var list = container.nestedContainer(keyedBy: ValuesKey.self, forKey: .kvlistValue)
                try list.encode(attributes.map(KeyValue.init), skippingEmpty: .values)
            case .empty: break
            }
        }
    }

    /// `KeyValue`: an attribute.
    struct KeyValue: Codable {
        var attribute: Attribute

        init(_ attribute: Attribute) {
            self.attribute = attribute
        }

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

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(attribute.key, forKey: .key)
            // An empty value is still written as `{}`, as protobuf JSON writes a set message.
            try container.encode(AnyValue(attribute.value), forKey: .value)
        }
    }
}

extension KeyedDecodingContainer {
    /// A repeated `KeyValue` field as domain attributes.
    func attributes(_ key: Key) throws -> [Attribute] {
        try list(key, of: OTLPJSON.KeyValue.self).map(\.attribute)
    }
}

extension KeyedEncodingContainer {
    mutating func encode(attributes: [Attribute], forKey key: Key) throws {
        try encode(attributes.map(OTLPJSON.KeyValue.init), skippingEmpty: key)
    }
}
