import Foundation
import TraceModel

/// Zipkin v2 JSON (`POST /api/v2/spans`): an array of spans, decoded into domain spans with
/// OpenTelemetry's Zipkin mapping reversed so spans sent through a Zipkin exporter look the
/// same as spans sent over OTLP.
public enum ZipkinCodec {
    static let jsonNestingLimit = 16

    /// Decodes a Zipkin v2 JSON array. Spans with malformed ids or no timestamp are rejected
    /// one by one; a body that is not such an array throws `IngestDecodingError`.
    public static func decodeJSON(_ bytes: [UInt8]) throws -> DecodedSpans {
        if JSONNesting.exceeds(bytes, limit: jsonNestingLimit) {
            throw IngestDecodingError(
                "Zipkin JSON body could not be decoded: objects and arrays are nested more than \(jsonNestingLimit) levels deep")
        }
        let wireSpans: [ZipkinJSON.Span]
        do {
            wireSpans = try JSONDecoder().decode([ZipkinJSON.Span].self, from: Data(bytes))
        } catch {
            throw IngestDecodingError(
                "Zipkin JSON body could not be decoded (expected an array of v2 spans): \(OTLPTraceCodec.describe(error))")
        }
        var decoded = DecodedSpans()
        decoded.spans.reserveCapacity(wireSpans.count)
        for wireSpan in wireSpans {
            do {
                decoded.spans.append(try Span(wireSpan))
            } catch {
                decoded.rejected.append(error.rejection)
            }
        }
        return decoded
    }
}
