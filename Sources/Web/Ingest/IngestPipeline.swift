import Ingest
import Logging
import Storage
import TraceModel

/// The shared tail of every ingest endpoint: validate decoded spans, write the accepted ones,
/// and report what was rejected. `ingest` returns only after the writer has committed.
struct IngestPipeline: Sendable {
    let writer: any TraceWriter
    let validator: SpanTimestampValidator
    let logger: Logger
    let now: @Sendable () -> UInt64

    init(writer: any TraceWriter, limits: IngestLimits, logger: Logger, now: @escaping @Sendable () -> UInt64) {
        self.writer = writer
        self.validator = SpanTimestampValidator(limits: limits)
        self.logger = logger
        self.now = now
    }

    /// The writer failed; the details are logged, the client is told to retry.
    struct WriteFailed: Error {}

    func ingest(_ decoded: DecodedSpans, protocolName: String) async throws(WriteFailed) -> IngestOutcome {
        let checked = validator.validate(decoded, nowUnixNano: now())
        let outcome = IngestOutcome(accepted: checked.spans.count, rejected: checked.rejected)
        if !checked.spans.isEmpty {
            do {
                try await writer.write(checked.spans)
            } catch {
                logger.error(
                    "Writing ingested spans failed",
                    metadata: [
                        "protocol": "\(protocolName)", "spans": "\(checked.spans.count)",
                        "error": "\(String(reflecting: error))",
                    ])
                throw WriteFailed()
            }
        }
        if !outcome.rejected.isEmpty {
            logger.notice(
                "Rejected ingested spans",
                metadata: ["protocol": "\(protocolName)", "summary": "\(outcome.rejectionSummary)"])
        }
        return outcome
    }
}
