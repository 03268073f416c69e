import Ingest
import Testing
import TraceModel
@testable import Bench

@Suite struct IngestIDPatchTemplateTests {
    private static let now: UInt64 = 1_790_000_000_000_000_000

    /// Decodes a patched body and checks it holds the corpus spans with only the ids changed:
    /// trace ids start with `traceHigh`, span ids with `spanHigh`, and parent links still hold.
    private func checkPatched(_ wireProtocol: IngestProtocol, decode: ([UInt8]) throws -> DecodedSpans) throws {
        let corpus = try IngestCorpus(protocol: wireProtocol, spansPerRequest: 60, bodyCount: 2, nowUnixNano: Self.now)
        for (template, original) in zip(corpus.templates, corpus.spans) {
            #expect(template.traceMarkerOffsets.count >= original.count)
            #expect(template.spanMarkerOffsets.count >= original.count)
            let traceHigh: UInt64 = 0x0123_4567_89ab_cdef
            let spanHigh: UInt32 = 0x7654_3210
            let decoded = try decode(template.patched(traceHigh: traceHigh, spanHigh: spanHigh))
            #expect(decoded.rejected.isEmpty)
            #expect(decoded.spans.count == original.count)
            let byName = Dictionary(grouping: decoded.spans, by: { $0.spanID.value & 0xffff_ffff })
            for span in original {
                let number = span.spanID.value & 0xffff_ffff
                let patched = try #require(byName[number]?.first)
                #expect(patched.traceID == TraceID(high: traceHigh, low: span.traceID.low))
                #expect(patched.spanID == SpanID(UInt64(spanHigh) << 32 | number))
                #expect(patched.parentSpanID == span.parentSpanID.map { SpanID(UInt64(spanHigh) << 32 | ($0.value & 0xffff_ffff)) })
                #expect(patched.name == span.name)
                #expect(patched.startTimeUnixNano / 1_000 == span.startTimeUnixNano / 1_000)
                if wireProtocol != .zipkin {
                    #expect(patched.attributes == span.attributes)
                    #expect(patched.events.count == span.events.count)
                }
            }
        }
    }

    @Test func aPatchedProtobufBodyDecodesToTheSameSpansWithNewIDs() throws {
        try checkPatched(.otlpProtobuf) { try OTLPTraceCodec.decodeProtobuf($0) }
    }

    @Test func aPatchedOTLPJSONBodyDecodesToTheSameSpansWithNewIDs() throws {
        try checkPatched(.otlpJSON) { try OTLPTraceCodec.decodeJSON($0) }
    }

    @Test func aPatchedZipkinBodyDecodesToTheSameSpansWithNewIDs() throws {
        try checkPatched(.zipkin) { try ZipkinCodec.decodeJSON($0) }
    }

    @Test func everyRequestGetsDifferentIDs() throws {
        let corpus = try IngestCorpus(protocol: .otlpProtobuf, spansPerRequest: 20, bodyCount: 1, nowUnixNano: Self.now)
        let template = try #require(corpus.templates.first)
        let first = try OTLPTraceCodec.decodeProtobuf(template.patched(traceHigh: 1, spanHigh: 1)).spans
        let second = try OTLPTraceCodec.decodeProtobuf(template.patched(traceHigh: 2, spanHigh: 2)).spans
        #expect(Set(first.map(\.traceID)).isDisjoint(with: Set(second.map(\.traceID))))
        #expect(Set(first.map(\.spanID)).isDisjoint(with: Set(second.map(\.spanID))))
    }

    @Test func bodiesHoldExactlyTheRequestedSpansWithAtLeastTenAttributes() throws {
        let corpus = try IngestCorpus(protocol: .otlpProtobuf, spansPerRequest: 137, bodyCount: 3, nowUnixNano: Self.now)
        #expect(corpus.spans.map(\.count) == [137, 137, 137])
        #expect(corpus.spans.joined().allSatisfy { $0.attributes.count >= IngestCorpus.minimumAttributes })
        #expect(corpus.spans.joined().allSatisfy { $0.startTimeUnixNano < Self.now })
    }

    @Test func aMarkerFollowedByANumberOutOfRangeIsNotAnID() {
        let marker: [UInt8] = [0xaa, 0xbb]
        let body: [UInt8] = [0, 0xaa, 0xbb, 0, 1, 9, 0xaa, 0xbb, 0xff, 0xff]
        let found = IngestIDPatchTemplate.offsets(of: marker, in: body, followedBy: 2) { tail in tail.first == 0 }
        #expect(found == [1])
    }
}
