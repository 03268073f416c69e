import TraceModel

/// The Zipkin v2 JSON span shape (`POST /api/v2/spans` takes an array of these). Decoding is
/// lenient where tracers differ: tag values that are numbers or booleans become strings,
/// timestamps may be written as decimal strings.
enum ZipkinJSON {
    struct Span: Decodable {
        var traceId: String
        var id: String
        var parentId: String
        var name: String
        var kind: String
        var timestamp: UInt64?
        var duration: UInt64?
        var localEndpoint: Endpoint?
        var remoteEndpoint: Endpoint?
        var annotations: [Annotation]
        var tags: [String: String]
        var debug: Bool
        var shared: Bool

        private enum CodingKeys: String, CodingKey {
            case traceId, id, parentId, name, kind, timestamp, duration, localEndpoint, remoteEndpoint
            case annotations, tags, debug, shared
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            traceId = try container.string(.traceId)
            id = try container.string(.id)
            parentId = try container.string(.parentId)
            name = try container.string(.name)
            kind = try container.string(.kind)
            timestamp = try container.microseconds(.timestamp)
            duration = try container.microseconds(.duration)
            localEndpoint = try container.decodeIfPresent(Endpoint.self, forKey: .localEndpoint)
            remoteEndpoint = try container.decodeIfPresent(Endpoint.self, forKey: .remoteEndpoint)
            annotations = try container.list(.annotations)
            tags = try container.decodeIfPresent([String: TagValue].self, forKey: .tags)?.mapValues(\.text) ?? [:]
            debug = try container.decodeIfPresent(Bool.self, forKey: .debug) ?? false
            shared = try container.decodeIfPresent(Bool.self, forKey: .shared) ?? false
        }
    }

    struct Endpoint: Decodable {
        var serviceName: String
        var ipv4: String
        var ipv6: String
        var port: Int64

        private enum CodingKeys: String, CodingKey {
            case serviceName, ipv4, ipv6, port
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            serviceName = try container.string(.serviceName)
            ipv4 = try container.string(.ipv4)
            ipv6 = try container.string(.ipv6)
            port = try container.integer(.port)
        }
    }

    struct Annotation: Decodable {
        var timestamp: UInt64
        var value: String

        private enum CodingKeys: String, CodingKey {
            case timestamp, value
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            timestamp = try container.microseconds(.timestamp) ?? 0
            value = try container.string(.value)
        }
    }

    /// A tag value: Zipkin says string, some tracers send numbers or booleans.
    struct TagValue: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            guard let value = container.zipkinScalar() else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a tag value must be a string")
            }
            // Numbers and booleans spelled as `AttributeValue.text` spells them everywhere else.
            text = value.text
        }
    }
}

extension SingleValueDecodingContainer {
    /// A JSON string, boolean, integer, double or null as an attribute value; nil for arrays
    /// and objects. Strings are tried first: nearly every Zipkin value is one.
    func zipkinScalar() -> AttributeValue? {
        if let string = try? decode(String.self) { return .string(string) }
        if let bool = try? decode(Bool.self) { return .bool(bool) }
        if let int = try? decode(Int64.self) { return .int(int) }
        if let double = try? decode(Double.self) { return .double(double) }
        if decodeNil() { return .empty }
        return nil
    }
}

extension KeyedDecodingContainer {
    /// Microseconds as an integer, a decimal string, or (as some JavaScript tracers send)
    /// a fractional number, rounded; absent or null is nil.
    fileprivate func microseconds(_ key: Key) throws -> UInt64? {
        guard try isPresent(key) else { return nil }
        if let value = try? integer(key, as: UInt64.self) { return value }
        let value = try decode(Double.self, forKey: key).rounded()
        guard let micros = UInt64(exactly: value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected microseconds since the epoch")
        }
        return micros
    }
}
