import Foundation
import SwiftProtobuf
import TraceModel

/// OTLP trace payloads in both encodings (protobuf and OTLP/JSON), to and from domain spans,
/// plus the export response and `google.rpc.Status` bodies the OTLP receivers answer with.
public enum OTLPTraceCodec {
    /// Deepest protobuf message nesting accepted. An event or link attribute value sits 7
    /// messages deep and each nested kvlist adds 3, so this allows 40 levels of nested values.
    static let messageDepthLimit = 128
    /// Deepest JSON object/array nesting accepted. An event or link attribute value sits 12
    /// levels deep and each nested kvlist adds 4: at least as much as protobuf allows.
    static let jsonNestingLimit = 180

    /// Decodes a binary `ExportTraceServiceRequest`. Spans with malformed ids are rejected one
    /// by one; a body that is not a valid message, or whose attribute values nest deeper than
    /// `AttributeNesting.limit`, throws `IngestDecodingError`.
    public static func decodeProtobuf(_ bytes: [UInt8]) throws -> DecodedSpans {
        // The direct reader takes what exporters send; anything subtler goes to swift-protobuf.
        let decoded = try OTLPProtobufReader.decode(bytes) ?? decodeProtobufMessage(bytes)
        try AttributeNesting.check(decoded.spans, encoding: "OTLP protobuf")
        return decoded
    }

    /// `decodeProtobuf` through swift-protobuf's message tree (the reference for `OTLPProtobufReader`).
    static func decodeProtobufMessage(_ bytes: [UInt8]) throws -> DecodedSpans {
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = messageDepthLimit
        options.discardUnknownFields = true
        let request: ProtoExportRequest
        do {
            request = try ProtoExportRequest(serializedBytes: bytes, options: options)
        } catch BinaryDecodingError.messageDepthLimit {
            throw IngestDecodingError(
                "OTLP protobuf body could not be decoded: values are nested more than \(messageDepthLimit) messages deep")
        } catch {
            throw IngestDecodingError("OTLP protobuf body could not be decoded: \(describe(error))")
        }
        return DecodedSpans(request)
    }

    /// Decodes an OTLP/JSON `ExportTraceServiceRequest` (`{"resourceSpans": [...]}`): hex ids,
    /// enums as numbers or names, 64-bit integers as strings or numbers, unknown fields ignored.
    /// Values nested deeper than `AttributeNesting.limit` are refused as in protobuf.
    public static func decodeJSON(_ bytes: [UInt8]) throws -> DecodedSpans {
        if JSONNesting.exceeds(bytes, limit: jsonNestingLimit) {
            throw IngestDecodingError(
                "OTLP/JSON body could not be decoded: objects and arrays are nested more than \(jsonNestingLimit) levels deep")
        }
        let document: OTLPJSON.TracesData
        do {
            document = try JSONDecoder().decode(OTLPJSON.TracesData.self, from: Data(bytes))
        } catch {
            throw IngestDecodingError("OTLP/JSON body could not be decoded: \(describe(error))")
        }
        var decoded = DecodedSpans()
        decoded.spans.reserveCapacity(document.resourceSpans.reduce(0) { total, group in
            total + group.scopeSpans.reduce(0) { $0 + $1.spans.count }
        })
        for group in document.resourceSpans {
            group.appendSpans(to: &decoded)
        }
        try AttributeNesting.check(decoded.spans, encoding: "OTLP/JSON")
        return decoded
    }

    /// A binary `ExportTraceServiceRequest` carrying `spans`, grouped by resource and scope.
    public static func encodeProtobuf(_ spans: [Span]) throws -> [UInt8] {
        try ProtoExportRequest(spans: spans).serializedBytes()
    }

    /// An OTLP/JSON document (`{"resourceSpans": [...]}`) carrying `spans`, with hex ids,
    /// 64-bit integers as strings and enums as integers; `decodeJSON` reads it back.
    public static func encodeJSON(_ spans: [Span]) throws -> [UInt8] {
        var writer = OTLPJSONWriter(capacity: spans.count * 512)
        writer.write(spans)
        return writer.bytes
    }

    /// An `ExportTraceServiceResponse` body; `partial_success` is set only when spans were
    /// rejected or there is a message for the sender.
    public static func exportResponse(rejectedSpans: Int64, errorMessage: String, json: Bool) -> [UInt8] {
        var response = ProtoExportResponse()
        if rejectedSpans > 0 || !errorMessage.isEmpty {
            var partialSuccess = ProtoPartialSuccess()
            partialSuccess.rejectedSpans = rejectedSpans
            partialSuccess.errorMessage = errorMessage
            response.partialSuccess = partialSuccess
        }
        return serialize(response, json: json)
    }

    /// A `google.rpc.Status` body (gRPC code and message), as OTLP/HTTP failures carry.
    public static func status(code: Int32, message: String, json: Bool) -> [UInt8] {
        var status = RPCStatus()
        status.code = code
        status.message = message
        return serialize(status, json: json)
    }

    private static func serialize(_ message: some SwiftProtobuf.Message, json: Bool) -> [UInt8] {
        // Serializing these flat messages cannot fail (no Any payloads, no required fields);
        // an empty message is still a valid answer should it ever happen.
        if json {
            return (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        }
        return (try? message.serializedBytes()) ?? []
    }

    /// A short description of a decoding failure that names the field, not internals.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DecodingError:
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context),
                 .keyNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                let reason = context.debugDescription
                return path.isEmpty ? reason : "\(reason) (at \(path.drop { $0 == "." }))"
            @unknown default:
                return "invalid JSON"
            }
        case let error as BinaryDecodingError:
            switch error {
            case .truncated: return "the message is truncated"
            case .malformedProtobuf: return "the bytes are not a valid protobuf message"
            case .invalidUTF8: return "a string field is not valid UTF-8"
            case .messageDepthLimit: return "values are nested too deeply"
            default: return "the bytes are not a valid protobuf message"
            }
        default:
            return "invalid data"
        }
    }
}
