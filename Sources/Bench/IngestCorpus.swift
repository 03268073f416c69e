import DemoTraffic
import Ingest
import TraceModel

/// The request bodies of an ingest benchmark, encoded once before any load: `bodyCount` bodies of
/// exactly `spansPerRequest` realistic spans (the demo shop's traces, topped up to at least
/// `minimumAttributes` attributes per span), each with its id offsets recorded so every request
/// gets fresh ids without encoding again. Spans start a few seconds before `nowUnixNano`.
public struct IngestCorpus: Sendable {
    public let wireProtocol: IngestProtocol
    public let spansPerRequest: Int
    public let templates: [IngestIDPatchTemplate]
    /// The spans of each body, with placeholder ids (for tests and for the raw-COPY limit).
    public let spans: [[Span]]

    public static let minimumAttributes = 10

    public init(
        protocol wireProtocol: IngestProtocol, spansPerRequest: Int, bodyCount: Int, nowUnixNano: UInt64, seed: UInt64 = 4
    ) throws {
        self.wireProtocol = wireProtocol
        self.spansPerRequest = spansPerRequest
        let placeholders = IngestPlaceholderIDs()
        var random = DemoRandom(seed: seed)
        let factory = DemoTraceFactory()
        var allSpans: [[Span]] = []
        var templates: [IngestIDPatchTemplate] = []
        for bodyIndex in 0..<bodyCount {
            var spans: [Span] = []
            var start = nowUnixNano - 5_000_000_000 - UInt64(bodyIndex % 50) * 10_000_000
            while spans.count < spansPerRequest {
                for trace in factory.makeTraces(startingAt: start, using: &random) {
                    spans.append(contentsOf: trace.prefix(spansPerRequest - spans.count))
                }
                start += 1_000_000
            }
            spans = placeholders.renumber(spans.map { Self.toppedUp($0, to: Self.minimumAttributes) })
            let body: [UInt8]
            switch wireProtocol {
            case .otlpProtobuf, .otlpGRPC: body = try OTLPTraceCodec.encodeProtobuf(spans)
            case .otlpJSON: body = try OTLPTraceCodec.encodeJSON(spans)
            case .zipkin: body = IngestZipkinEncoder.encode(spans)
            }
            templates.append(IngestIDPatchTemplate(body: body, encoding: wireProtocol.idEncoding, spanCount: spans.count, placeholders: placeholders))
            allSpans.append(spans)
        }
        self.templates = templates
        self.spans = allSpans
    }

    /// Mean attributes per span across the corpus (span attributes only, not the resource's).
    public var meanAttributesPerSpan: Double {
        let all = spans.joined()
        return all.isEmpty ? 0 : Double(all.reduce(0) { $0 + $1.attributes.count }) / Double(all.count)
    }

    /// `span` with attributes a real instrumentation adds (thread, code location, host) until it has `count`.
    static func toppedUp(_ span: Span, to count: Int) -> Span {
        guard span.attributes.count < count else { return span }
        var copy = span
        let existing = Set(span.attributes.map(\.key))
        let extra: [Attribute] = [
            Attribute("thread.id", .int(Int64(span.spanID.value % 64))),
            Attribute("thread.name", .string("worker-\(span.spanID.value % 16)")),
            Attribute("code.function", .string(span.name.replacingOccurrences(of: " ", with: "_"))),
            Attribute("code.namespace", .string("com.example.\(span.serviceName)")),
            Attribute("host.name", .string("\(span.serviceName)-7d9f8b6c5-x2k4q")),
            Attribute("deployment.environment", .string("production")),
            Attribute("net.sock.host.port", .int(8080)),
            Attribute("otel.library.name", .string(span.scope.name)),
            Attribute("sampling.priority", .double(1.0)),
            Attribute("feature.flag.new_pricing", .bool(span.spanID.value % 3 == 0)),
        ]
        for attribute in extra where copy.attributes.count < count && !existing.contains(attribute.key) {
            copy.attributes.append(attribute)
        }
        return copy
    }
}
