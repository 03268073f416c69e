import Storage
import TraceModel

extension IngestQueue {
    /// One request's spans waiting for their batch to commit, and the caller suspended on it.
    struct PendingWrite {
        let spans: [Span]
        let limits: WriteLimits
        let continuation: CheckedContinuation<WriteReceipt, any Error>
    }

    /// Requests taken from the front of the queue to be written in one transaction.
    struct Batch {
        let writes: [PendingWrite]
        let limits: WriteLimits
        let spanCount: Int

        var spans: [Span] {
            var all: [Span] = []
            all.reserveCapacity(spanCount)
            for write in writes { all.append(contentsOf: write.spans) }
            return all
        }

        /// The latest span end in the batch, Unix nanoseconds.
        var latestSpanEndUnixNano: UInt64 {
            writes.lazy.flatMap(\.spans).map(\.endTimeUnixNano).max() ?? 0
        }
    }

    /// Whether writes are taken, refused because storage is down, or refused because Skein stops.
    enum Mode: Equatable {
        case available
        case unavailable
        case finishing
    }

    /// What `enqueue` decided.
    enum Admission {
        case queued(depth: Int, wakeWriter: CheckedContinuation<Void, Never>?)
        case refused(IngestRefusal)
    }

    /// Everything the queue's lock guards.
    struct State {
        var mode = Mode.available
        /// Requests in arrival order, not yet taken into a batch.
        private var waiting: [PendingWrite] = []
        /// Spans accepted and not yet committed or failed: waiting ones plus the batch being written.
        private(set) var queuedSpans = 0
        /// The writer loop, suspended until there is work or the queue finishes.
        var writerWakeup: CheckedContinuation<Void, Never>?

        var hasWaiting: Bool { !waiting.isEmpty }

        mutating func enqueue(_ write: PendingWrite, capacity: IngestCapacity) -> Admission {
            switch mode {
            case .finishing:
                return .refused(.shuttingDown)
            case .unavailable:
                return .refused(.storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))
            case .available:
                break
            }
            // An empty queue takes any request, so one larger than the queue is not refused forever.
            guard queuedSpans == 0 || queuedSpans + write.spans.count <= capacity.maxQueuedSpans else {
                return .refused(.overloaded(retryAfterSeconds: capacity.overloadRetryAfterSeconds))
            }
            waiting.append(write)
            queuedSpans += write.spans.count
            let wakeup = writerWakeup
            writerWakeup = nil
            return .queued(depth: queuedSpans, wakeWriter: wakeup)
        }

        /// Takes the longest run of requests from the front that share the first one's limits and
        /// fit in `maxSpans` together (always at least one request), keeping arrival order.
        mutating func takeBatch(maxSpans: Int) -> Batch? {
            guard let first = waiting.first else { return nil }
            var taken = 0
            var spanCount = 0
            for write in waiting {
                guard write.limits == first.limits, taken == 0 || spanCount + write.spans.count <= maxSpans else { break }
                spanCount += write.spans.count
                taken += 1
            }
            let writes = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            return Batch(writes: writes, limits: first.limits, spanCount: spanCount)
        }

        /// Forgets a batch that committed or failed; returns the new depth.
        mutating func batchDone(_ batch: Batch) -> Int {
            queuedSpans -= batch.spanCount
            return queuedSpans
        }

        /// Removes every waiting request (to fail them); the depth drops by their spans.
        mutating func takeAllWaiting() -> [PendingWrite] {
            let taken = waiting
            waiting.removeAll()
            for write in taken { queuedSpans -= write.spans.count }
            return taken
        }
    }
}
