import Foundation
import Ingest
import Testing

/// One saved decoder input: a fuzz crash, a hand-made edge case or a seed corpus file.
struct FuzzInput: Sendable, CustomTestStringConvertible {
    var decoder: DecoderInvariants.Decoder
    var url: URL

    var testDescription: String { "\(decoder.rawValue)/\(url.lastPathComponent)" }
    var bytes: [UInt8] { get throws { [UInt8](try Data(contentsOf: url)) } }

    /// Every file under `folder/<decoder>/`, in name order.
    static func all(under folder: URL) -> [FuzzInput] {
        DecoderInvariants.Decoder.allCases.flatMap { decoder in
            let directory = folder.appending(path: decoder.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map {
                FuzzInput(decoder: decoder, url: directory.appending(path: $0))
            }
        }
    }
}

/// Replays through `DecoderInvariants` (the checks the fuzz targets in `Fuzz/` make) every input
/// kept in `Tests/IngestTests/FuzzRegressions/<decoder>/` and every file of the seed corpus in
/// `Fuzz/Corpus/<decoder>/`, so a fixed crash stays fixed without running the fuzzer.
@Suite("Fuzz regressions and corpus replay")
struct FuzzRegressionTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let regressions = FuzzInput.all(under: testsFolder.appending(path: "FuzzRegressions"))
    static let corpus = FuzzInput.all(
        under: testsFolder.deletingLastPathComponent().deletingLastPathComponent().appending(path: "Fuzz/Corpus"))

    @Test("A kept crash or edge case decodes or is refused with IngestDecodingError, and keeps every invariant",
          arguments: regressions)
    func keptInputKeepsTheInvariants(_ input: FuzzInput) throws {
        let violations = DecoderInvariants.violations(in: try input.bytes, decodedBy: input.decoder)
        #expect(violations.isEmpty, "\(input.testDescription): \(violations.joined(separator: "\n"))")
    }

    @Test("A corpus file of real SDK output decodes whole, keeping every invariant", arguments: corpus)
    func corpusFileDecodesWhole(_ input: FuzzInput) throws {
        let bytes = try input.bytes
        #expect(DecoderInvariants.violations(in: bytes, decodedBy: input.decoder) == [])
        if input.url.lastPathComponent.hasPrefix("sdk-") {
            let decoded = try input.decoder.decode(bytes)
            #expect(!decoded.spans.isEmpty)
            #expect(decoded.rejected.isEmpty)
        }
    }

    @Test("Every decoder has kept inputs and corpus files to replay (the folders are found)")
    func everyDecoderHasInputs() {
        for decoder in DecoderInvariants.Decoder.allCases {
            #expect(Self.regressions.filter { $0.decoder == decoder }.count >= 10, "\(decoder.rawValue) regressions")
            #expect(Self.corpus.filter { $0.decoder == decoder }.count >= 10, "\(decoder.rawValue) corpus")
        }
    }

    /// Edge cases whose outcome is known: refused outright, or decoded with so many spans
    /// accepted and rejected. Guards against the replay passing because nothing was decoded.
    static let expectedOutcomes: [(DecoderInvariants.Decoder, String, accepted: Int?, rejected: Int?)] = [
        (.otlpProtobuf, "kvlist-200-deep-beyond-limit", nil, nil),
        (.otlpProtobuf, "length-varint-max-uint64", nil, nil),
        (.otlpProtobuf, "truncated-in-span", nil, nil),
        (.otlpProtobuf, "invalid-utf8-span-name", nil, nil),
        (.otlpProtobuf, "all-zero-ids", 0, 1),
        (.otlpProtobuf, "wrong-length-ids", 1, 3),
        (.otlpProtobuf, "duplicate-trace-id-last-wins", 0, 1),
        (.otlpProtobuf, "kvlist-40-deep-in-span-attribute", 1, 0),
        // Found by the round-trip invariant: both encodings refuse values nested beyond 40 levels.
        (.otlpProtobuf, "array-60-deep-in-event-attribute", nil, nil),
        (.otlpProtobuf, "array-61-deep-in-resource-attribute", nil, nil),
        (.otlpJSON, "kvlist-40-deep-in-event-attribute", 1, 0),
        (.otlpJSON, "kvlist-41-deep-in-event-attribute", nil, nil),
        (.otlpJSON, "kvlist-43-deep-in-resource-attribute", nil, nil),
        (.otlpJSON, "kvlist-200-deep-beyond-limit", nil, nil),
        (.otlpJSON, "array-2000-deep-beyond-limit", nil, nil),
        (.otlpJSON, "invalid-utf8-in-name", nil, nil),
        // Of duplicate keys the first wins (the zero trace id comes second), as Foundation's JSONDecoder reads them.
        (.otlpJSON, "duplicate-keys", 1, 0),
        (.otlpJSON, "ids-uppercase-short-nonhex-zero", 2, 5),
        (.otlpJSON, "valid-surrogate-pair-escape", 1, 0),
        (.zipkinJSON, "nesting-17-beyond-limit", nil, nil),
        (.zipkinJSON, "top-level-object", nil, nil),
        (.zipkinJSON, "no-timestamp-uses-annotations-or-is-rejected", 1, 1),
    ]

    @Test("Known edge cases are refused, or decoded with the expected accepted and rejected spans",
          arguments: expectedOutcomes.indices)
    func knownEdgeCaseHasItsOutcome(_ index: Int) throws {
        let (decoder, name, accepted, rejected) = Self.expectedOutcomes[index]
        let bytes = [UInt8](try Data(contentsOf: Self.testsFolder.appending(path: "FuzzRegressions/\(decoder.rawValue)/\(name)")))
        if let accepted, let rejected {
            let decoded = try decoder.decode(bytes)
            #expect(decoded.spans.count == accepted, "\(name)")
            #expect(decoded.rejected.count == rejected, "\(name)")
        } else {
            #expect(throws: IngestDecodingError.self, "\(name)") { try decoder.decode(bytes) }
        }
    }
}
