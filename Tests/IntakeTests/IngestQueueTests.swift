import Logging
import Prometheus
import Storage
import Synchronization
import Testing
import TraceModel
@testable import Intake

/// The batching write queue: coalescing, bounds, failures, the unavailable state and its
/// recovery, draining on finish, and each request's share of a receipt.
@Suite struct IngestQueueTests {
    static let logger = Logger(label: "test")

    /// A queue over `writer` with `writers` writer loops (one by default: these tests describe
    /// how one writer coalesces and orders) that run until `body` returns (then drain and stop).
    static func withRunningQueue<T>(
        writer: any TraceWriter, capacity: IngestCapacity = IngestCapacity(), writers: Int = 1,
        probe: @escaping @Sendable () async -> Bool = { true }, metrics: IngestQueueMetrics = .discarded,
        _ body: (IngestQueue) async throws -> T
    ) async throws -> T {
        var capacity = capacity
        capacity.writeConcurrency = writers
        let queue = IngestQueue(
            writer: writer, capacity: capacity, probe: probe, probeInterval: .milliseconds(10), metrics: metrics,
            logger: logger)
        let loop = Task { await queue.run() }
        defer { queue.finish() }
        let result = try await body(queue)
        queue.finish()
        await loop.value
        return result
    }

    static func stored(_ store: InMemoryTraceStore, traces: ClosedRange<UInt64>) async throws -> [Span] {
        var spans: [Span] = []
        for trace in traces { spans += try await store.trace(id: TraceID(high: 0, low: trace)) }
        return spans
    }

    @Test func manyConcurrentSmallWritesBecomeFewTransactionsAndEverySpanIsStoredOnce() async throws {
        let store = InMemoryTraceStore()
        let writer = GatedWriter(open: false, inner: store)
        try await Self.withRunningQueue(writer: writer, capacity: IngestCapacity(maxBatchSpans: 1_000)) { queue in
            let requests = (1...50).map { trace in
                Task { try await queue.write(QueueTestSpans.make(5, trace: UInt64(trace)), limits: WriteLimits()) }
            }
            // The first batch is held at the gate while the other requests pile up behind it.
            #expect(await eventually { writer.heldWrites == 1 && queue.queuedSpans == 250 })
            writer.open()
            for request in requests { _ = try await request.value }

            // Whatever the first batch took, everything behind it went in one more.
            #expect(writer.batchSizes.count <= 2, "batches: \(writer.batchSizes)")
            #expect(writer.batchSizes.reduce(0, +) == 250)
            let spans = try await Self.stored(store, traces: 1...50)
            #expect(spans.count == 250)
            #expect(Set(spans.map(SpanKey.init)).count == 250)
            #expect(queue.queuedSpans == 0)
        }
    }

    @Test func batchesStayWithinTheBatchSizeAndKeepTheOrderRequestsArrivedIn() async throws {
        let writer = GatedWriter(open: false)
        try await Self.withRunningQueue(writer: writer, capacity: IngestCapacity(maxBatchSpans: 12)) { queue in
            var requests: [Task<WriteReceipt, any Error>] = []
            for trace in 1...10 {
                let spans = QueueTestSpans.make(5, trace: UInt64(trace))
                requests.append(Task { try await queue.write(spans, limits: WriteLimits()) })
                #expect(await eventually { queue.queuedSpans == trace * 5 })
            }
            writer.open()
            for request in requests { _ = try await request.value }

            let batches = writer.batches
            #expect(batches.allSatisfy { $0.count <= 12 }, "batches: \(writer.batchSizes)")
            #expect(batches.count < 10)
            let arrivalOrder = (1...10).flatMap { QueueTestSpans.make(5, trace: UInt64($0)).map(SpanKey.init) }
            #expect(batches.flatMap { $0 } == arrivalOrder)
        }
    }

    @Test func aFullQueueRefusesAtOnceWithOverloadedInsteadOfGrowing() async throws {
        let writer = GatedWriter(open: false)
        let capacity = IngestCapacity(maxQueuedSpans: 10, maxBatchSpans: 5, overloadRetryAfterSeconds: 3)
        try await Self.withRunningQueue(writer: writer, capacity: capacity) { queue in
            let held = Task { try await queue.write(QueueTestSpans.make(5, trace: 1), limits: WriteLimits()) }
            #expect(await eventually { writer.heldWrites == 1 })
            let waiting = Task { try await queue.write(QueueTestSpans.make(5, trace: 2), limits: WriteLimits()) }
            #expect(await eventually { queue.queuedSpans == 10 })

            await #expect(throws: IngestRefusal.overloaded(retryAfterSeconds: 3)) {
                try await queue.write(QueueTestSpans.make(1, trace: 3), limits: WriteLimits())
            }
            #expect(queue.queuedSpans == 10)

            writer.open()
            _ = try await held.value
            _ = try await waiting.value
            // Room again once the batches committed.
            _ = try await queue.write(QueueTestSpans.make(1, trace: 3), limits: WriteLimits())
            #expect(writer.batchSizes.reduce(0, +) == 11)
        }
    }

    @Test func aFailedWriteFailsEveryRequestOfItsBatchWithStorageUnavailable() async throws {
        let store = InMemoryTraceStore()
        let failing = FailingWriter(failures: 2, inner: store)
        let writer = GatedWriter(open: false, inner: failing)
        let capacity = IngestCapacity(unavailableRetryAfterSeconds: 7)
        try await Self.withRunningQueue(writer: writer, capacity: capacity) { queue in
            let first = Task { try await queue.write(QueueTestSpans.make(1, trace: 1), limits: WriteLimits()) }
            #expect(await eventually { writer.heldWrites == 1 })
            let second = Task { try await queue.write(QueueTestSpans.make(2, trace: 2), limits: WriteLimits()) }
            let third = Task { try await queue.write(QueueTestSpans.make(3, trace: 3), limits: WriteLimits()) }
            #expect(await eventually { queue.queuedSpans == 6 })
            writer.open()

            for request in [first, second, third] {
                await #expect(throws: IngestRefusal.storageUnavailable(retryAfterSeconds: 7)) { try await request.value }
            }
            #expect(failing.writeAttempts == 2, "the second and third request shared one failed batch")
            // The probe passes, so the database is fine and writes go on.
            #expect(queue.isStorageAvailable)
            _ = try await queue.write(QueueTestSpans.make(4, trace: 4), limits: WriteLimits())
            #expect(try await Self.stored(store, traces: 1...4).map(\.traceID.low) == [4, 4, 4, 4])
        }
    }

    @Test func aWriteThatPassesTheTimeoutFailsItsRequestsInsteadOfHanging() async throws {
        let store = InMemoryTraceStore()
        let writer = GatedWriter(open: false, inner: store)
        let capacity = IngestCapacity(writeTimeout: .milliseconds(50), unavailableRetryAfterSeconds: 2)
        try await Self.withRunningQueue(writer: writer, capacity: capacity) { queue in
            await #expect(throws: IngestRefusal.storageUnavailable(retryAfterSeconds: 2)) {
                try await queue.write(QueueTestSpans.make(3), limits: WriteLimits())
            }
            #expect(writer.heldWrites == 1, "the write is still stuck, yet its request was answered")
            writer.open()
        }
    }

    @Test func whileStorageIsUnavailableWritesAreRefusedAtOnceAndFlowAgainWhenTheProbePasses() async throws {
        let store = InMemoryTraceStore()
        let failing = FailingWriter(failures: 1, inner: store)
        let databaseAnswers = Mutex(false)
        let registry = PrometheusCollectorRegistry()
        let metrics = IngestQueueMetrics(factory: PrometheusMetricsFactory(registry: registry))
        try await Self.withRunningQueue(
            writer: failing, probe: { databaseAnswers.withLock { $0 } }, metrics: metrics
        ) { queue in
            await #expect(throws: IngestRefusal.storageUnavailable(retryAfterSeconds: 5)) {
                try await queue.write(QueueTestSpans.make(2, trace: 1), limits: WriteLimits())
            }
            #expect(await eventually { !queue.isStorageAvailable })
            #expect(registry.emitToString().contains("skein_storage_available 0"))

            for _ in 1...3 {
                await #expect(throws: IngestRefusal.storageUnavailable(retryAfterSeconds: 5)) {
                    try await queue.write(QueueTestSpans.make(2, trace: 2), limits: WriteLimits())
                }
            }
            #expect(failing.writeAttempts == 1, "nothing is queued into a dead database")

            databaseAnswers.withLock { $0 = true }
            #expect(await eventually { queue.isStorageAvailable })
            _ = try await queue.write(QueueTestSpans.make(2, trace: 3), limits: WriteLimits())
            #expect(try await store.trace(id: TraceID(high: 0, low: 3)).count == 2)

            let text = registry.emitToString()
            #expect(text.contains("skein_storage_available 1"))
            #expect(text.contains("skein_storage_write_failures_total 1"))
            #expect(text.contains("skein_storage_batch_spans_count 1"))
        }
    }

    @Test func finishCommitsWhatWasQueuedAndRefusesNewWritesAsShuttingDown() async throws {
        let store = InMemoryTraceStore()
        let writer = GatedWriter(open: false, inner: store)
        let queue = IngestQueue(writer: writer, probe: { true }, logger: Self.logger)
        let loop = Task { await queue.run() }
        let requests = (1...3).map { trace in
            Task { try await queue.write(QueueTestSpans.make(2, trace: UInt64(trace)), limits: WriteLimits()) }
        }
        #expect(await eventually { queue.queuedSpans == 6 })

        queue.finish()
        await #expect(throws: IngestRefusal.shuttingDown) {
            try await queue.write(QueueTestSpans.make(1, trace: 9), limits: WriteLimits())
        }
        writer.open()
        await loop.value

        for request in requests { _ = try await request.value }
        #expect(try await Self.stored(store, traces: 1...3).count == 6)
        #expect(queue.queuedSpans == 0)
    }

    @Test func eachRequestHearsOnlyOfItsOwnSpansLeftOutByTheTraceLimit() async throws {
        let writer = GatedWriter(open: false)
        let limits = WriteLimits(maxSpansPerTrace: 3)
        try await Self.withRunningQueue(writer: writer) { queue in
            let first = Task { try await queue.write(QueueTestSpans.make(1, trace: 1, first: 1), limits: limits) }
            #expect(await eventually { writer.heldWrites == 1 })
            let fits = Task { try await queue.write(QueueTestSpans.make(2, trace: 1, first: 2), limits: limits) }
            let overflows = Task { try await queue.write(QueueTestSpans.make(2, trace: 1, first: 4), limits: limits) }
            let otherTrace = Task { try await queue.write(QueueTestSpans.make(1, trace: 2, first: 1), limits: limits) }
            #expect(await eventually { queue.queuedSpans == 6 })
            writer.open()

            let receipts = [try await first.value, try await fits.value, try await overflows.value, try await otherTrace.value]
            let trace = TraceID(high: 0, low: 1)
            #expect(receipts == [
                WriteReceipt(), WriteReceipt(),
                WriteReceipt(spansOverTraceLimit: [SpanKey(traceID: trace, spanID: SpanID(4)), SpanKey(traceID: trace, spanID: SpanID(5))]),
                WriteReceipt(),
            ])
            #expect(writer.batchSizes == [1, 5])
        }
    }
}
