import SwiftProtobuf
import TraceModel

/// What must hold for any bytes given to one of the three wire decoders. The libFuzzer targets
/// in `Fuzz/` and the fuzz regression tests both check inputs here, so a crash or a broken
/// invariant found by fuzzing is replayed by the normal tests exactly as the fuzzer saw it.
public enum DecoderInvariants {
    /// A decoder under test, named as its corpus and regression folders are.
    public enum Decoder: String, CaseIterable, Sendable {
        case otlpProtobuf = "otlp-protobuf"
        case otlpJSON = "otlp-json"
        case zipkinJSON = "zipkin-json"

        /// Decodes with the same entry point the HTTP receivers use.
        public func decode(_ bytes: [UInt8]) throws -> DecodedSpans {
            switch self {
            case .otlpProtobuf: try OTLPTraceCodec.decodeProtobuf(bytes)
            case .otlpJSON: try OTLPTraceCodec.decodeJSON(bytes)
            case .zipkinJSON: try ZipkinCodec.decodeJSON(bytes)
            }
        }
    }

    /// The reasons a decoder may give for leaving a span out.
    static let rejectionReasons: Set<String> = [
        "invalid_trace_id", "invalid_span_id", "invalid_parent_span_id", "missing_timestamp",
    ]

    /// Decodes `bytes` and returns what went wrong (empty when every invariant holds):
    /// - a body is either decoded or refused with `IngestDecodingError`, never another error;
    /// - accepted spans, their parents and their links have valid (not all-zero) ids;
    /// - every rejection has a known reason and a detail;
    /// - protobuf: every span of the message is either accepted or rejected, none vanishes;
    /// - accepted spans come back unchanged from `encodeProtobuf` + `decodeProtobuf` and from
    ///   `encodeJSON` + `decodeJSON`: whatever Skein accepts it can also hand out again.
    /// (Crashes, hangs and runaway memory are caught by the fuzzer itself.)
    public static func violations(in bytes: [UInt8], decodedBy decoder: Decoder) -> [String] {
        let decoded: DecodedSpans
        do {
            decoded = try decoder.decode(bytes)
        } catch is IngestDecodingError {
            return []
        } catch {
            return ["\(decoder.rawValue) threw \(type(of: error)), not IngestDecodingError: \(error)"]
        }
        var problems = decoded.spans.enumerated().flatMap { index, span in invalidIDs(span, index: index) }
        for rejection in decoded.rejected where !rejectionReasons.contains(rejection.reason) || rejection.detail.isEmpty {
            problems.append("rejection with an unknown reason or no detail: \(rejection)")
        }
        if decoder == .otlpProtobuf, let count = protobufSpanCount(bytes),
           count != decoded.spans.count + decoded.rejected.count {
            problems.append(
                "message holds \(count) spans but \(decoded.spans.count) were accepted and \(decoded.rejected.count) rejected")
        }
        problems += roundTripProblems(decoded.spans)
        return problems
    }

    private static func invalidIDs(_ span: Span, index: Int) -> [String] {
        var problems: [String] = []
        if !span.traceID.isValid { problems.append("span \(index) accepted with an all-zero trace id") }
        if !span.spanID.isValid { problems.append("span \(index) accepted with an all-zero span id") }
        if span.parentSpanID?.isValid == false { problems.append("span \(index) has an all-zero parent instead of none") }
        for link in span.links where !link.traceID.isValid || !link.spanID.isValid {
            problems.append("span \(index) kept a link with an all-zero id")
        }
        return problems
    }

    private static func protobufSpanCount(_ bytes: [UInt8]) -> Int? {
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = OTLPTraceCodec.messageDepthLimit
        options.discardUnknownFields = true
        guard let request = try? ProtoExportRequest(serializedBytes: bytes, options: options) else { return nil }
        return request.resourceSpans.reduce(0) { total, group in
            total + group.scopeSpans.reduce(0) { $0 + $1.spans.count }
        }
    }

    private static func roundTripProblems(_ spans: [Span]) -> [String] {
        guard !spans.isEmpty else { return [] }
        // Both encoders group spans by resource and scope, so that is the order they come back in.
        let expected = SpanGrouping(spans).groups.flatMap { $0.scopes.flatMap(\.spans) }
        var problems: [String] = []
        do {
            let again = try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf(spans))
            problems += differences(expected, again, via: "protobuf")
        } catch {
            problems.append("accepted spans do not survive a protobuf round trip: \(error)")
        }
        do {
            let again = try OTLPTraceCodec.decodeJSON(try OTLPTraceCodec.encodeJSON(spans))
            problems += differences(expected, again, via: "OTLP/JSON")
        } catch {
            problems.append("accepted spans do not survive an OTLP/JSON round trip: \(error)")
        }
        return problems
    }

    private static func differences(_ expected: [Span], _ again: DecodedSpans, via encoding: String) -> [String] {
        guard again.rejected.isEmpty, again.spans.count == expected.count else {
            return ["\(encoding) round trip gave \(again.spans.count) spans and \(again.rejected.count) rejections for \(expected.count) spans"]
        }
        return zip(expected, again.spans).enumerated().compactMap { index, pair in
            pair.0.isSame(as: pair.1) ? nil : "span \(index) changed in a \(encoding) round trip: \(pair.0) became \(pair.1)"
        }
    }
}

extension Span {
    /// Equality in which a NaN attribute value equals another NaN: `==` says a decoded NaN
    /// never equals itself, yet it did survive the round trip.
    fileprivate func isSame(as other: Span) -> Bool {
        if self == other { return true }
        return withoutAttributes == other.withoutAttributes
            && attributes.isSame(as: other.attributes)
            && resource.attributes.isSame(as: other.resource.attributes)
            && scope.attributes.isSame(as: other.scope.attributes)
            && zip(events, other.events).allSatisfy { $0.attributes.isSame(as: $1.attributes) }
            && zip(links, other.links).allSatisfy { $0.attributes.isSame(as: $1.attributes) }
    }

    private var withoutAttributes: Span {
        var bare = self
        bare.attributes = []
        bare.resource.attributes = []
        bare.scope.attributes = []
        bare.events = events.map { event in
            var event = event
            event.attributes = []
            return event
        }
        bare.links = links.map { link in
            var link = link
            link.attributes = []
            return link
        }
        return bare
    }
}

extension [Attribute] {
    fileprivate func isSame(as other: [Attribute]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.key == $1.key && $0.value.isSame(as: $1.value) }
    }
}

extension AttributeValue {
    fileprivate func isSame(as other: AttributeValue) -> Bool {
        switch (self, other) {
        case (.double(let left), .double(let right)):
            return left == right || (left.isNaN && right.isNaN)
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isSame(as: $1) }
        case (.keyValueList(let left), .keyValueList(let right)):
            return left.isSame(as: right)
        default:
            return self == other
        }
    }
}
