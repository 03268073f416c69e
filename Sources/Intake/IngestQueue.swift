import Logging
import Storage
import Synchronization
import TraceModel

/// The bounded, batching write queue in front of the trace store.
///
/// `write` queues a request's spans and returns only once the batch holding them committed (with
/// that request's share of the receipt), so callers acknowledge only what is durable.
/// `IngestCapacity.writeConcurrency` writer loops (`run()`) each coalesce their queued requests, in
/// arrival order, into writes of at most `IngestCapacity.maxBatchSpans`, so many small requests
/// become few transactions, and that many transactions run at once. Spans are routed to writers by
/// trace id (one trace, one writer: the per-trace span limit stays exact); a request whose spans
/// go to several writers is answered once all its parts committed, with their merged receipt, or
/// refused if any part failed.
///
/// - Full (`maxQueuedSpans` spans waiting): new writes are refused at once with `.overloaded`.
/// - A write failing or passing `writeTimeout` fails the requests of its batch with
///   `.storageUnavailable`. If the readiness probe then fails too, the queue is unavailable: it
///   fails what was waiting, refuses new writes at once, and probes about every second until the
///   database answers, when writes flow again by themselves.
/// - `finish()` refuses new writes with `.shuttingDown`, commits what was queued, and lets `run()` return.
public final class IngestQueue: TraceWriter {
    private let writer: any TraceWriter
    private let capacity: IngestCapacity
    private let probe: @Sendable () async -> Bool
    private let probeInterval: Duration
    private let memoryBudget: IngestMemoryBudget?
    private let metrics: IngestQueueMetrics
    private let logger: Logger
    private let now: @Sendable () -> UInt64
    private let writerCount: Int
    private let state: Mutex<State>

    /// - Parameters:
    ///   - writer: the store the batches are written to.
    ///   - probe: whether storage answers again (`PostgresTraceStore.isReady` in `serve`); it must
    ///     return within a bounded time.
    ///   - probeInterval: the pause between probes while storage is unavailable.
    ///   - memoryBudget: the ingest pipeline's budget, only reported in the metrics.
    ///   - now: the clock for the visibility-delay metric, Unix nanoseconds.
    public init(
        writer: any TraceWriter, capacity: IngestCapacity = IngestCapacity(),
        probe: @escaping @Sendable () async -> Bool, probeInterval: Duration = .seconds(1),
        memoryBudget: IngestMemoryBudget? = nil, metrics: IngestQueueMetrics = .discarded, logger: Logger,
        now: @escaping @Sendable () -> UInt64 = { WallClock.unixNanos() }
    ) {
        self.writer = writer
        self.capacity = capacity
        self.probe = probe
        self.probeInterval = probeInterval
        self.memoryBudget = memoryBudget
        self.metrics = metrics
        self.logger = logger
        self.now = now
        writerCount = max(1, capacity.writeConcurrency)
        state = Mutex(State(writers: writerCount))
        metrics.configured(capacitySpans: capacity.maxQueuedSpans, budget: memoryBudget)
    }

    /// Spans accepted and not yet committed or failed.
    public var queuedSpans: Int { state.withLock { $0.queuedSpans } }

    /// False while storage is considered unavailable and writes are refused.
    public var isStorageAvailable: Bool { state.withLock { $0.mode != .unavailable } }

    /// Queues `spans` and returns once they committed. Throws `IngestRefusal` when the queue is
    /// full, storage is unavailable, the write failed, or the queue is finishing.
    public func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        guard !spans.isEmpty else { return WriteReceipt() }
        let capacity = capacity
        let parts = Self.parts(of: spans, writers: writerCount)
        return try await withCheckedThrowingContinuation { continuation in
            let request = PendingRequest(parts: parts.count, continuation: continuation)
            let writes = parts.map { (writer: $0.writer, write: PendingWrite(spans: $0.spans, limits: limits, request: request)) }
            let admission = state.withLock { $0.enqueue(writes, spanCount: spans.count, capacity: capacity) }
            switch admission {
            case .refused(let refusal):
                continuation.resume(throwing: refusal)
            case .queued(let depth, let wakeWriters):
                metrics.depth(spans: depth)
                for wakeup in wakeWriters { wakeup.resume() }
            }
        }
    }

    /// Stops taking writes (`.shuttingDown`); what is queued is still committed, then `run()` returns.
    public func finish() {
        let wakeups = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.mode = .finishing
            return state.takeWriterWakeups()
        }
        for wakeup in wakeups { wakeup.resume() }
    }

    /// The writer loops (run it once): write batches until `finish()` was called and the queue is
    /// empty. Cancelling it acts like `finish()` (queued writes are still attempted). It also
    /// refreshes the memory-budget gauge about every second.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let memoryBudget {
                let metrics = metrics
                group.addTask {
                    while !Task.isCancelled {
                        metrics.memoryReserved(bytes: memoryBudget.reservedBytes)
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { writers in
                    for writer in 0..<writerCount {
                        writers.addTask { await self.writeBatches(writer: writer) }
                    }
                }
            } onCancel: {
                finish()
            }
            group.cancelAll()
        }
        logger.debug("ingest queue drained")
    }

    private func writeBatches(writer: Int) async {
        while let batch = await nextBatch(writer: writer) {
            let succeeded = await commit(batch)
            if !succeeded { await handleFailure() }
        }
    }

    /// `writer`'s next batch, waiting for work; nil once finishing and nothing is left for it.
    private func nextBatch(writer: Int) async -> Batch? {
        let maxSpans = capacity.maxBatchSpans
        while true {
            let (batch, finishing) = state.withLock { state in
                (state.takeBatch(writer: writer, maxSpans: maxSpans), state.mode == .finishing)
            }
            if let batch { return batch }
            if finishing { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let parked = state.withLock { $0.park(writer: writer, continuation) }
                if !parked { continuation.resume() }
            }
        }
    }

    /// Writes one batch and answers its requests; returns whether it committed.
    private func commit(_ batch: Batch) async -> Bool {
        let writer = writer, spans = batch.spans, limits = batch.limits
        let started = ContinuousClock.now
        let result: Result<WriteReceipt, any Error>
        do {
            result = .success(try await Self.withDeadline(capacity.writeTimeout) {
                try await writer.write(spans, limits: limits)
            })
        } catch {
            result = .failure(error)
        }
        let elapsed = started.duration(to: .now)
        let depth = state.withLock { $0.batchDone(batch) }
        metrics.depth(spans: depth)

        switch result {
        case .success(let receipt):
            metrics.batchWritten(
                spans: batch.spanCount, duration: elapsed, latestSpanEndUnixNano: batch.latestSpanEndUnixNano,
                commitUnixNano: now())
            for (write, share) in zip(batch.writes, Self.split(receipt, among: batch.writes)) {
                write.request.partCommitted(share)
            }
            return true
        case .failure(let error):
            metrics.batchFailed(duration: elapsed)
            logger.warning(
                "Writing a batch of spans failed; its requests are refused as retryable",
                metadata: [
                    "spans": "\(batch.spanCount)", "requests": "\(batch.writes.count)",
                    "error": "\(String(reflecting: error).prefix(500))",
                ])
            let refusal = IngestRefusal.storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds)
            for write in batch.writes { write.request.partFailed(refusal) }
            return false
        }
    }

    /// After a failed write: if storage does not answer the probe, refuse writes until it does.
    /// While finishing, the requests still waiting are refused instead (shutdown must not wait for
    /// a database that may never return).
    private func handleFailure() async {
        if state.withLock({ $0.mode == .finishing }) {
            failWaiting(with: .storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))
            return
        }
        if await probe() { return }

        let wentDown = state.withLock { state -> Bool in
            guard state.mode == .available else { return false }
            state.mode = .unavailable
            return true
        }
        guard wentDown else {
            failWaiting(with: .storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))
            return
        }
        metrics.available(false)
        logger.error(
            "The database is unavailable: ingest answers 503 / UNAVAILABLE until it is back",
            metadata: ["probeInterval": "\(probeInterval)"])
        failWaiting(with: .storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))

        let started = ContinuousClock.now
        while true {
            try? await Task.sleep(for: probeInterval)
            if state.withLock({ $0.mode == .finishing }) { return }
            if await probe() { break }
        }
        let cameBack = state.withLock { state -> Bool in
            guard state.mode == .unavailable else { return false }
            state.mode = .available
            return true
        }
        guard cameBack else { return }
        metrics.available(true)
        logger.notice(
            "The database is available again: ingest accepts writes",
            metadata: ["unavailableFor": "\(started.duration(to: .now))"])
    }

    private func failWaiting(with refusal: IngestRefusal) {
        let failed = state.withLock { $0.takeAllWaiting() }
        guard !failed.isEmpty else { return }
        metrics.depth(spans: queuedSpans)
        for write in failed { write.request.partFailed(refusal) }
    }

    /// Each request's share of a batch receipt: the over-limit spans that are its own.
    static func split(_ receipt: WriteReceipt, among writes: [PendingWrite]) -> [WriteReceipt] {
        guard !receipt.spansOverTraceLimit.isEmpty else {
            return Array(repeating: WriteReceipt(), count: writes.count)
        }
        let left = Set(receipt.spansOverTraceLimit)
        return writes.map { write in
            var seen = Set<SpanKey>()
            let mine = write.spans.lazy.map(SpanKey.init).filter { left.contains($0) && seen.insert($0).inserted }
            return WriteReceipt(spansOverTraceLimit: Array(mine))
        }
    }
}
