import Storage
import TraceModel

extension IngestQueue {
    /// One request's spans for one writer (all of them with one writer), waiting for their batch to
    /// commit, and the request to answer once all its parts are done.
    struct PendingWrite {
        let spans: [Span]
        let limits: WriteLimits
        let request: PendingRequest
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
        case queued(depth: Int, wakeWriters: [CheckedContinuation<Void, Never>])
        case refused(IngestRefusal)
    }

    /// Everything the queue's lock guards.
    struct State {
        var mode = Mode.available
        /// Per writer, requests (parts) in arrival order, not yet taken into a batch.
        private var waiting: [[PendingWrite]]
        /// Spans accepted and not yet committed or failed: waiting ones plus the batches being written.
        private(set) var queuedSpans = 0
        /// Per writer, its loop suspended until there is work for it or the queue finishes.
        private var writerWakeups: [CheckedContinuation<Void, Never>?]

        init(writers: Int) {
            waiting = Array(repeating: [], count: writers)
            writerWakeups = Array(repeating: nil, count: writers)
        }

        func hasWaiting(writer: Int) -> Bool { !waiting[writer].isEmpty }

        /// Queues a request's parts (`(writer, part)`) all together, or refuses the whole request.
        mutating func enqueue(_ parts: [(writer: Int, write: PendingWrite)], spanCount: Int, capacity: IngestCapacity) -> Admission {
            switch mode {
            case .finishing:
                return .refused(.shuttingDown)
            case .unavailable:
                return .refused(.storageUnavailable(retryAfterSeconds: capacity.unavailableRetryAfterSeconds))
            case .available:
                break
            }
            // An empty queue takes any request, so one larger than the queue is not refused forever.
            guard queuedSpans == 0 || queuedSpans + spanCount <= capacity.maxQueuedSpans else {
                return .refused(.overloaded(retryAfterSeconds: capacity.overloadRetryAfterSeconds))
            }
            var wakeups: [CheckedContinuation<Void, Never>] = []
            for (writer, write) in parts {
                waiting[writer].append(write)
                if let wakeup = writerWakeups[writer] { wakeups.append(wakeup) }
                writerWakeups[writer] = nil
            }
            queuedSpans += spanCount
            return .queued(depth: queuedSpans, wakeWriters: wakeups)
        }

        /// Parks `writer`'s loop until there is work for it; false (not parked) if there already is
        /// or the queue is finishing.
        mutating func park(writer: Int, _ wakeup: CheckedContinuation<Void, Never>) -> Bool {
            guard waiting[writer].isEmpty, mode != .finishing else { return false }
            writerWakeups[writer] = wakeup
            return true
        }

        /// Every parked writer loop, unparked (to let them see the queue finishing).
        mutating func takeWriterWakeups() -> [CheckedContinuation<Void, Never>] {
            defer { writerWakeups = writerWakeups.map { _ in nil } }
            return writerWakeups.compactMap { $0 }
        }

        /// Takes the longest run of `writer`'s requests from the front that share the first one's
        /// limits and fit in `maxSpans` together (always at least one request), keeping arrival order.
        mutating func takeBatch(writer: Int, maxSpans: Int) -> Batch? {
            guard let first = waiting[writer].first else { return nil }
            var taken = 0
            var spanCount = 0
            for write in waiting[writer] {
                guard write.limits == first.limits, taken == 0 || spanCount + write.spans.count <= maxSpans else { break }
                spanCount += write.spans.count
                taken += 1
            }
            let writes = Array(waiting[writer].prefix(taken))
            waiting[writer].removeFirst(taken)
            return Batch(writes: writes, limits: first.limits, spanCount: spanCount)
        }

        /// Forgets a batch that committed or failed; returns the new depth.
        mutating func batchDone(_ batch: Batch) -> Int {
            queuedSpans -= batch.spanCount
            return queuedSpans
        }

        /// Removes every waiting part of every writer (to fail them); the depth drops by their spans.
        mutating func takeAllWaiting() -> [PendingWrite] {
            let taken = waiting.flatMap { $0 }
            waiting = waiting.map { _ in [] }
            for write in taken { queuedSpans -= write.spans.count }
            return taken
        }
    }
}
