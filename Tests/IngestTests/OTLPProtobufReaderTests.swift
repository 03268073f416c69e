import Foundation
@testable import Ingest
import Testing
import TraceModel

/// The direct protobuf reader against swift-protobuf, the reference: on every body it accepts it
/// must give exactly the spans and rejections swift-protobuf gives, and every body swift-protobuf
/// refuses it must hand over (return nil) rather than accept.
struct OTLPProtobufReaderTests {
    typealias F = SpanFixtures

    /// Every saved protobuf body: the SDK seed corpus and the fuzz regressions.
    static let savedBodies: [[UInt8]] = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let folders = [
            tests.appending(path: "FuzzRegressions/otlp-protobuf"),
            tests.deletingLastPathComponent().deletingLastPathComponent().appending(path: "Fuzz/Corpus/otlp-protobuf"),
        ]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().compactMap { name in
                try? [UInt8](Data(contentsOf: folder.appending(path: name)))
            }
        }
    }()

    /// Asserts the reader agrees with swift-protobuf on `body`; returns whether it took the body itself.
    @discardableResult
    private func expectAgreement(_ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let reference = try? OTLPTraceCodec.decodeProtobufMessage(body)
        guard let direct = OTLPProtobufReader.decode(body) else { return false }
        #expect(reference != nil, "the reader accepted a body swift-protobuf refuses", sourceLocation: sourceLocation)
        // Compared as text: a NaN attribute is never equal to itself.
        #expect("\(direct.spans)" == "\(reference?.spans ?? [])", sourceLocation: sourceLocation)
        #expect(direct.rejected == reference?.rejected, sourceLocation: sourceLocation)
        return true
    }

    @Test func readsWhatTheEncoderWritesAsSwiftProtobufDoes() throws {
        for spans in [[F.richSpan()], F.mixedBatch(), []] {
            let body = try OTLPTraceCodec.encodeProtobuf(spans)
            #expect(expectAgreement(body), "a plain body must not need swift-protobuf")
            #expect(Set(OTLPProtobufReader.decode(body)?.spans ?? []) == Set(spans))
        }
    }

    @Test func readsSDKBodiesAndFuzzRegressionsAsSwiftProtobufDoes() throws {
        #expect(!Self.savedBodies.isEmpty)
        var readDirectly = 0
        for body in Self.savedBodies where expectAgreement(body) { readDirectly += 1 }
        #expect(readDirectly >= 10, "the SDK corpus is plain protobuf: the reader takes it")
    }

    @Test func truncatedAndMutatedBodiesAreReadAsSwiftProtobufReadsThemOrHandedOver() throws {
        let valid = try OTLPTraceCodec.encodeProtobuf(F.mixedBatch() + [F.richSpan()])
        for length in stride(from: 0, to: valid.count, by: max(1, valid.count / 300)) {
            expectAgreement(Array(valid.prefix(length)))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            var mutated = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            expectAgreement(mutated)
        }
    }

    @Test func spansWithBadIdsAreRejectedOneByOneAsSwiftProtobufRejectsThem() throws {
        let spans = F.mixedBatch()
        let body = try OTLPTraceCodec.encodeProtobuf(spans)
        // Zero the first span's trace id in place: 16 zero bytes where its id was.
        let id = spans[0].traceID.bytes
        var zeroed = body
        if let at = zeroed.indices.first(where: { Array(zeroed[$0..<min($0 + 16, zeroed.count)]) == id }) {
            zeroed.replaceSubrange(at..<at + 16, with: [UInt8](repeating: 0, count: 16))
        }
        #expect(expectAgreement(zeroed))
        let decoded = try #require(OTLPProtobufReader.decode(zeroed))
        #expect(decoded.rejected.count >= 1)
        #expect(decoded.spans.count + decoded.rejected.count == spans.count)
    }

    @Test func subtleBodiesAreHandedToSwiftProtobuf() throws {
        // A span whose status is given twice (swift-protobuf merges the two messages).
        let twoStatuses: [UInt8] = [0x0A, 0x0E, 0x12, 0x0C, 0x12, 0x0A, 0x7A, 0x02, 0x18, 0x02, 0x7A, 0x04, 0x12, 0x02, 0x68, 0x69]
        #expect(OTLPProtobufReader.decode(twoStatuses) == nil)
        // A group (wire type 3) among the fields, and invalid UTF-8 in a span name.
        #expect(OTLPProtobufReader.decode([0x0B, 0x0C]) == nil)
        #expect(OTLPProtobufReader.decode([0x0A, 0x08, 0x12, 0x06, 0x12, 0x04, 0x2A, 0x02, 0xC3, 0x28]) == nil)
        // Values nested deeper than the reader goes.
        let deep = try OTLPTraceCodec.encodeProtobuf([Span(
            traceID: F.traceID, spanID: SpanID(0x1), name: "deep", startTimeUnixNano: F.start, endTimeUnixNano: F.start,
            attributes: [Attribute("deep", F.nestedValue(depth: 40))])])
        #expect(OTLPProtobufReader.decode(deep) == nil)
        #expect(try OTLPTraceCodec.decodeProtobuf(deep).spans == OTLPTraceCodec.decodeProtobufMessage(deep).spans)
    }
}
