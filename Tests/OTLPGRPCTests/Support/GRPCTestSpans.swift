import Foundation
@testable import Ingest
import TraceModel

/// Spans and serialized export requests for the OTLP/gRPC tests.
enum GRPCTestSpans {
    static let now: UInt64 = 1_763_700_000_000_000_000

    /// `count` spans of one trace, all valid, a minute before `now`.
    static func trace(_ traceID: TraceID, count: Int = 3, service: String = "checkout") -> [Span] {
        let start = now - 60_000_000_000
        let resource = Resource(attributes: [Attribute("service.name", .string(service))])
        let scope = InstrumentationScope(name: "grpc-test", version: "1.0")
        return (0..<count).map { (index: Int) -> Span in
            let offset = UInt64(index) * 1_000
            let parent: SpanID? = index == 0 ? nil : SpanID(1)
            let kind: SpanKind = index == 0 ? .server : .internal
            return Span(
                traceID: traceID, spanID: SpanID(UInt64(index + 1)), parentSpanID: parent,
                name: "step \(index)", kind: kind,
                startTimeUnixNano: start + offset, endTimeUnixNano: start + 2_000_000,
                attributes: [Attribute("step", .int(Int64(index)))],
                resource: resource, scope: scope)
        }
    }

    /// A serialized `ExportTraceServiceRequest` carrying `spans`, with the trace id of the spans
    /// at `badTraceIDs` cut to three bytes (which OTLP receivers must reject one by one).
    static func request(_ spans: [Span], badTraceIDs: Set<Int> = []) throws -> [UInt8] {
        var request = ProtoExportRequest(spans: spans)
        var index = 0
        for group in request.resourceSpans.indices {
            for scope in request.resourceSpans[group].scopeSpans.indices {
                for span in request.resourceSpans[group].scopeSpans[scope].spans.indices {
                    if badTraceIDs.contains(index) {
                        request.resourceSpans[group].scopeSpans[scope].spans[span].traceID = Data([1, 2, 3])
                    }
                    index += 1
                }
            }
        }
        return try request.serializedBytes()
    }

    /// The `partial_success` of a serialized `ExportTraceServiceResponse` (nil when absent).
    static func partialSuccess(_ response: [UInt8]) throws -> (rejectedSpans: Int64, errorMessage: String)? {
        let decoded = try ProtoExportResponse(serializedBytes: response)
        guard decoded.hasPartialSuccess else { return nil }
        return (decoded.partialSuccess.rejectedSpans, decoded.partialSuccess.errorMessage)
    }
}
