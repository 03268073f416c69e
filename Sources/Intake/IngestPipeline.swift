import Ingest
import Logging
import Storage
import TraceModel

/// The shared tail of every receiver (OTLP/HTTP, OTLP/gRPC, Zipkin): admit a request against the
/// memory budget, check and limit its decoded spans, hand the accepted ones to the writer (the
/// batching queue in `serve`), and count everything that was stored, altered or dropped.
/// `ingest` returns only after the writer has committed.
public struct IngestPipeline: Sendable {
    let writer: any TraceWriter
    public let limits: IngestLimits
    let validator: SpanTimestampValidator
    let spanLimiter: SpanLimiter
    let budget: IngestMemoryBudget
    let capacity: IngestCapacity
    let metrics: IngestMetrics
    let logger: Logger
    let now: @Sendable () -> UInt64

    /// - Parameters:
    ///   - writer: where accepted spans go; `IngestQueue` in `serve`. Errors it throws that are
    ///     `IngestRefusal`s are passed on; any other error means storage is unavailable.
    ///   - now: the clock for timestamp validation, Unix nanoseconds (injected for tests).
    public init(
        writer: any TraceWriter, limits: IngestLimits = IngestLimits(), capacity: IngestCapacity = IngestCapacity(),
        budget: IngestMemoryBudget? = nil, metrics: IngestMetrics = .discarded, logger: Logger,
        now: @escaping @Sendable () -> UInt64 = { WallClock.unixNanos() }
    ) {
        self.writer = writer
        self.limits = limits
        self.validator = SpanTimestampValidator(limits: limits)
        self.spanLimiter = SpanLimiter(limits: limits)
        self.capacity = capacity
        self.budget = budget ?? IngestMemoryBudget(capacityBytes: capacity.memoryBudgetBytes)
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// Reserves memory for a request whose body is `bodyBytes` long (or at most the body limit
    /// when its length is not known yet). Hold the reservation until the answer is sent.
    public func admit(bodyBytes: Int?, via: IngestProtocol) throws(IngestRefusal) -> IngestReservation {
        let body = min(bodyBytes ?? limits.maxBodyBytes, limits.maxBodyBytes)
        guard let reservation = budget.reserve(bytes: body * IngestMemoryBudget.expansionFactor) else {
            metrics.refusedRequest(via, reason: "rate_limited")
            throw .overloaded(retryAfterSeconds: capacity.overloadRetryAfterSeconds)
        }
        return reservation
    }

    /// Counts a request refused before decoding finished (`undecodable`, `too_large`, ...).
    public func refused(_ via: IngestProtocol, reason: String) {
        metrics.refusedRequest(via, reason: reason)
    }

    /// Checks, limits and stores `decoded`; returns after commit with what was stored and rejected.
    public func ingest(_ decoded: DecodedSpans, via: IngestProtocol) async throws(IngestRefusal) -> IngestOutcome {
        let received = decoded.spans.count + decoded.rejected.count
        metrics.received(via, spans: received, traces: Set(decoded.spans.lazy.map(\.traceID)).count)
        metrics.requestSize(via, spans: received)
        guard received <= limits.maxSpansPerRequest else {
            let refusal = IngestRefusal.tooManySpans(count: received, limit: limits.maxSpansPerRequest)
            metrics.dropped(via, reason: refusal.dropReason, spans: received)
            throw refusal
        }

        var checked = CheckedSpans(decoded)
        validator.validate(&checked, nowUnixNano: now())
        spanLimiter.limit(&checked)

        if !checked.spans.isEmpty {
            switch await store(checked.spans, via: via) {
            case .failure(let refusal):
                metrics.dropped(via, reason: refusal.dropReason, spans: received)
                throw refusal
            case .success(let receipt):
                checked.excludeOverTraceLimit(receipt.spansOverTraceLimit, limit: limits.maxSpansPerTrace)
            }
        }

        let outcome = IngestOutcome(accepted: checked.spans.count, rejected: checked.rejected, alterations: checked.alterations)
        metrics.accepted(via, spans: outcome.accepted)
        var rejectedByReason: [String: Int] = [:]
        for rejection in outcome.rejected { rejectedByReason[rejection.reason, default: 0] += 1 }
        for (reason, count) in rejectedByReason { metrics.dropped(via, reason: reason, spans: count) }
        for (reason, count) in outcome.alterations { metrics.altered(via, reason: reason, spans: count) }
        if !outcome.rejected.isEmpty {
            logger.notice(
                "Rejected ingested spans",
                metadata: ["protocol": "\(via.rawValue)", "summary": "\(outcome.rejectionSummary)"])
        }
        return outcome
    }

    /// Writes `spans`; the receipt once committed, otherwise why the request must be refused.
    private func store(_ spans: [Span], via: IngestProtocol) async -> Result<WriteReceipt, IngestRefusal> {
        do {
            return .success(try await writer.write(spans, limits: WriteLimits(maxSpansPerTrace: limits.maxSpansPerTrace)))
        } catch let refusal as IngestRefusal {
            return .failure(refusal)
        } catch {
            logger.error(
                "Writing ingested spans failed",
                metadata: ["protocol": "\(via.rawValue)", "spans": "\(spans.count)", "error": "\(String(reflecting: error))"])
            return .failure(.storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))
        }
    }
}
