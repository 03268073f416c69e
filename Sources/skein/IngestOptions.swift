import ArgumentParser
import Intake

/// `skein serve`'s ingest limits and capacity, each with its `SKEIN_*` variable; the README's
/// "Limits" table lists the defaults.
struct IngestOptions: ParsableArguments {
    private static let limitDefaults = IngestLimits()
    private static let capacityDefaults = IngestCapacity()

    @Option(name: .customLong("max-body-bytes"), help: "Largest ingest request body or gRPC message, after decompression (SKEIN_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = Environment.number("SKEIN_MAX_BODY_BYTES", default: limitDefaults.maxBodyBytes)

    @Option(name: .customLong("max-spans-per-request"), help: "Larger requests are refused whole with 413 (SKEIN_MAX_SPANS_PER_REQUEST).")
    var maxSpansPerRequest: Int = Environment.number("SKEIN_MAX_SPANS_PER_REQUEST", default: limitDefaults.maxSpansPerRequest)

    @Option(name: .customLong("max-attributes-per-span"), help: "Attributes kept per span, event and link; the rest are dropped and counted (SKEIN_MAX_ATTRIBUTES_PER_SPAN).")
    var maxAttributesPerSpan: Int = Environment.number("SKEIN_MAX_ATTRIBUTES_PER_SPAN", default: limitDefaults.maxAttributesPerSpan)

    @Option(name: .customLong("max-attribute-length"), help: "Longer string and bytes values are truncated and counted (SKEIN_MAX_ATTRIBUTE_LENGTH).")
    var maxAttributeValueLength: Int = Environment.number("SKEIN_MAX_ATTRIBUTE_LENGTH", default: limitDefaults.maxAttributeValueLength)

    @Option(name: .customLong("max-events-per-span"), help: "Events kept per span; the rest are dropped and counted (SKEIN_MAX_EVENTS_PER_SPAN).")
    var maxEventsPerSpan: Int = Environment.number("SKEIN_MAX_EVENTS_PER_SPAN", default: limitDefaults.maxEventsPerSpan)

    @Option(name: .customLong("max-links-per-span"), help: "Links kept per span; the rest are dropped and counted (SKEIN_MAX_LINKS_PER_SPAN).")
    var maxLinksPerSpan: Int = Environment.number("SKEIN_MAX_LINKS_PER_SPAN", default: limitDefaults.maxLinksPerSpan)

    @Option(name: .customLong("max-spans-per-trace"), help: "Spans stored per trace; later ones are dropped, counted, and the trace marked truncated (SKEIN_MAX_SPANS_PER_TRACE).")
    var maxSpansPerTrace: Int = Environment.number("SKEIN_MAX_SPANS_PER_TRACE", default: limitDefaults.maxSpansPerTrace)

    @Option(name: .customLong("ingest-memory-mib"), help: "Memory all in-flight ingest requests may hold; past it requests get 429 (SKEIN_INGEST_MEMORY_MIB).")
    var ingestMemoryMiB: Int = Environment.number("SKEIN_INGEST_MEMORY_MIB", default: capacityDefaults.memoryBudgetBytes / (1024 * 1024))

    @Option(name: .customLong("max-queued-spans"), help: "Spans waiting to be written; past it requests get 429 (SKEIN_MAX_QUEUED_SPANS).")
    var maxQueuedSpans: Int = Environment.number("SKEIN_MAX_QUEUED_SPANS", default: capacityDefaults.maxQueuedSpans)

    @Option(name: .customLong("max-batch-spans"), help: "Largest batch written in one transaction (SKEIN_MAX_BATCH_SPANS).")
    var maxBatchSpans: Int = Environment.number("SKEIN_MAX_BATCH_SPANS", default: capacityDefaults.maxBatchSpans)

    @Option(name: .customLong("write-concurrency"), help: "Write transactions committed at the same time, spans routed by trace id (SKEIN_WRITE_CONCURRENCY).")
    var writeConcurrency: Int = Environment.number("SKEIN_WRITE_CONCURRENCY", default: capacityDefaults.writeConcurrency)

    @Option(name: .customLong("write-timeout-seconds"), help: "A write slower than this fails with 503 (SKEIN_WRITE_TIMEOUT_SECONDS).")
    var writeTimeoutSeconds: Int = Environment.number("SKEIN_WRITE_TIMEOUT_SECONDS", default: 10)

    func validate() throws {
        let positive: [(String, Int)] = [
            ("--max-body-bytes", maxBodyBytes), ("--max-spans-per-request", maxSpansPerRequest),
            ("--max-attributes-per-span", maxAttributesPerSpan), ("--max-attribute-length", maxAttributeValueLength),
            ("--max-events-per-span", maxEventsPerSpan), ("--max-links-per-span", maxLinksPerSpan),
            ("--max-spans-per-trace", maxSpansPerTrace), ("--ingest-memory-mib", ingestMemoryMiB),
            ("--max-queued-spans", maxQueuedSpans), ("--max-batch-spans", maxBatchSpans),
            ("--write-concurrency", writeConcurrency),
            ("--write-timeout-seconds", writeTimeoutSeconds),
        ]
        for (flag, value) in positive where value <= 0 {
            throw ValidationError("\(flag) must be a positive number (got \(value))")
        }
    }

    var limits: IngestLimits {
        var limits = IngestLimits()
        limits.maxBodyBytes = maxBodyBytes
        limits.maxSpansPerRequest = maxSpansPerRequest
        limits.maxAttributesPerSpan = maxAttributesPerSpan
        limits.maxAttributeValueLength = maxAttributeValueLength
        limits.maxEventsPerSpan = maxEventsPerSpan
        limits.maxLinksPerSpan = maxLinksPerSpan
        limits.maxSpansPerTrace = maxSpansPerTrace
        return limits
    }

    var capacity: IngestCapacity {
        var capacity = IngestCapacity()
        capacity.memoryBudgetBytes = ingestMemoryMiB * 1024 * 1024
        capacity.maxQueuedSpans = maxQueuedSpans
        capacity.maxBatchSpans = maxBatchSpans
        capacity.writeConcurrency = writeConcurrency
        capacity.writeTimeout = .seconds(writeTimeoutSeconds)
        return capacity
    }
}
