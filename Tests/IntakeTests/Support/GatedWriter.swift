import Storage
import Synchronization
import TraceModel

/// A writer in front of another (an `InMemoryTraceStore` by default) that records every batch it
/// is given and, while its gate is closed, holds each write until `open()`: a stand-in for a slow
/// or stuck database that still honours the writer contract (returns only after `inner` stored).
final class GatedWriter: TraceWriter {
    private struct Gate {
        var isOpen: Bool
        var held: [CheckedContinuation<Void, Never>] = []
        var batches: [[SpanKey]] = []
    }
    private let gate: Mutex<Gate>
    private let inner: any TraceWriter

    init(open: Bool = true, inner: any TraceWriter = InMemoryTraceStore()) {
        gate = Mutex(Gate(isOpen: open))
        self.inner = inner
    }

    /// The spans of every `write` call received so far, in order.
    var batches: [[SpanKey]] { gate.withLock { $0.batches } }

    /// Spans per `write` call received so far, in order.
    var batchSizes: [Int] { batches.map(\.count) }

    /// Writes currently held at the closed gate.
    var heldWrites: Int { gate.withLock { $0.held.count } }

    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passNow = gate.withLock { gate -> Bool in
                gate.batches.append(spans.map(SpanKey.init))
                guard !gate.isOpen else { return true }
                gate.held.append(continuation)
                return false
            }
            if passNow { continuation.resume() }
        }
        return try await inner.write(spans, limits: limits)
    }

    /// Lets held and future writes through.
    func open() {
        let held = gate.withLock { gate -> [CheckedContinuation<Void, Never>] in
            gate.isOpen = true
            defer { gate.held = [] }
            return gate.held
        }
        for continuation in held { continuation.resume() }
    }
}
