import Logging
import Storage
import Synchronization
import Testing
import TraceModel
@testable import Intake

/// Several writer loops (`IngestCapacity.writeConcurrency`): routing by trace id, requests split
/// across writers, and draining every writer on finish.
@Suite struct IngestQueueWritersTests {
    /// Spans of traces `traces`, `perTrace` each, interleaved (one of each trace in turn).
    static func interleaved(traces: ClosedRange<UInt64>, perTrace: Int) -> [Span] {
        let byTrace = traces.map { QueueTestSpans.make(perTrace, trace: $0) }
        return (0..<perTrace).flatMap { index in byTrace.map { $0[index] } }
    }

    @Test func aTracesSpansAlwaysGoToOneWriterInTheirOrder() {
        let spans = Self.interleaved(traces: 1...40, perTrace: 3)
            + QueueTestSpans.make(2, trace: 0xdead_beef_0000_0007, first: 10)
        for writers in 1...4 {
            let parts = IngestQueue.parts(of: spans, writers: writers)
            #expect(parts.map(\.spans.count).reduce(0, +) == spans.count)
            #expect(Set(parts.map(\.writer)).count == parts.count, "one part per writer")
            #expect(parts.allSatisfy { (0..<writers).contains($0.writer) && !$0.spans.isEmpty })
            var writerOfTrace: [TraceID: Int] = [:]
            for part in parts {
                for span in part.spans {
                    #expect(writerOfTrace.updateValue(part.writer, forKey: span.traceID) ?? part.writer == part.writer)
                    #expect(IngestQueue.writerIndex(for: span.traceID, writers: writers) == part.writer)
                }
                // Within a writer, spans keep the request's order.
                let order = spans.filter { IngestQueue.writerIndex(for: $0.traceID, writers: writers) == part.writer }
                #expect(part.spans.map(SpanKey.init) == order.map(SpanKey.init))
            }
        }
        #expect(IngestQueue.parts(of: spans, writers: 3).count == 3, "40 traces reach every writer")
    }

    @Test func withSeveralWritersEveryBatchHoldsTheTracesOfOneWriterAndEverySpanIsStoredOnce() async throws {
        let store = InMemoryTraceStore()
        let writer = GatedWriter(open: false, inner: store)
        try await IngestQueueTests.withRunningQueue(writer: writer, writers: 3) { queue in
            let requests = (0..<10).map { index in
                let spans = Self.interleaved(traces: UInt64(index * 5 + 1)...UInt64(index * 5 + 5), perTrace: 2)
                return Task { try await queue.write(spans, limits: WriteLimits()) }
            }
            #expect(await eventually { writer.heldWrites == 3 && queue.queuedSpans == 100 }, "three transactions at once")
            writer.open()
            for request in requests { _ = try await request.value }

            for batch in writer.batches {
                #expect(Set(batch.map { IngestQueue.writerIndex(for: $0.traceID, writers: 3) }).count == 1)
            }
            let spans = try await IngestQueueTests.stored(store, traces: 1...50)
            #expect(spans.count == 100)
            #expect(Set(spans.map(SpanKey.init)).count == 100)
            #expect(queue.queuedSpans == 0)
        }
    }

    @Test func aRequestSplitAcrossWritersIsAnsweredOnceAllPartsCommittedWithTheMergedReceipt() async throws {
        let store = InMemoryTraceStore()
        let trace1 = TraceID(high: 0, low: 1), trace2 = TraceID(high: 0, low: 2)
        let writer = HeldTraceWriter(heldTrace: trace2, inner: store)
        let limits = WriteLimits(maxSpansPerTrace: 2)
        try await IngestQueueTests.withRunningQueue(writer: writer, writers: 2) { queue in
            #expect(IngestQueue.writerIndex(for: trace1, writers: 2) != IngestQueue.writerIndex(for: trace2, writers: 2))
            let answered = Mutex(false)
            let request = Task {
                let spans = Self.interleaved(traces: 1...2, perTrace: 3)
                defer { answered.withLock { $0 = true } }
                return try await queue.write(spans, limits: limits)
            }
            // Trace 1's part committed and left the queue (the store holds it before the writer
            // loop counts it out, so wait for both); trace 2's is held, so the request still waits.
            #expect(await eventually {
                try! await store.trace(id: trace1).count == 2 && writer.heldWrites == 1 && queue.queuedSpans == 3
            })
            #expect(!answered.withLock { $0 })

            writer.release()
            let receipt = try await request.value
            #expect(Set(receipt.spansOverTraceLimit) == [
                SpanKey(traceID: trace1, spanID: SpanID(3)), SpanKey(traceID: trace2, spanID: SpanID(3)),
            ])
            #expect(try await store.trace(id: trace2).count == 2)
            #expect(queue.queuedSpans == 0)
        }
    }

    @Test func aRequestSplitAcrossWritersFailsIfOnePartFails() async throws {
        let store = InMemoryTraceStore()
        let failing = FailingWriter(failures: 1, inner: store)
        let capacity = IngestCapacity(unavailableRetryAfterSeconds: 4)
        try await IngestQueueTests.withRunningQueue(writer: failing, capacity: capacity, writers: 2) { queue in
            await #expect(throws: IngestRefusal.storageUnavailable(retryAfterSeconds: 4)) {
                try await queue.write(Self.interleaved(traces: 1...2, perTrace: 2), limits: WriteLimits())
            }
            #expect(failing.writeAttempts == 2, "both parts were attempted; one failed")
            #expect(queue.queuedSpans == 0)
            // The probe passes: writes go on, and the retried request is stored whole.
            _ = try await queue.write(Self.interleaved(traces: 1...2, perTrace: 2), limits: WriteLimits())
            #expect(try await IngestQueueTests.stored(store, traces: 1...2).count == 4)
        }
    }

    @Test func finishDrainsEveryWriterAndThenRunReturns() async throws {
        let store = InMemoryTraceStore()
        let writer = GatedWriter(open: false, inner: store)
        let queue = IngestQueue(
            writer: writer, capacity: IngestCapacity(maxBatchSpans: 4, writeConcurrency: 4), probe: { true },
            logger: IngestQueueTests.logger)
        let loop = Task { await queue.run() }
        let requests = (0..<6).map { index in
            let spans = Self.interleaved(traces: UInt64(index * 4 + 1)...UInt64(index * 4 + 4), perTrace: 3)
            return Task { try await queue.write(spans, limits: WriteLimits()) }
        }
        #expect(await eventually { writer.heldWrites == 4 && queue.queuedSpans == 72 })

        queue.finish()
        await #expect(throws: IngestRefusal.shuttingDown) {
            try await queue.write(QueueTestSpans.make(1, trace: 99), limits: WriteLimits())
        }
        writer.open()
        await loop.value

        for request in requests { _ = try await request.value }
        #expect(try await IngestQueueTests.stored(store, traces: 1...24).count == 72)
        #expect(queue.queuedSpans == 0)
    }
}
