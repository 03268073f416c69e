import Storage
import Synchronization
import TraceModel

extension IngestQueue {
    /// One request whose spans were split among writers (one part per writer its traces route
    /// to). It is answered once every part committed or failed: with the merge of the parts'
    /// receipts, or with the first part's refusal if any failed.
    final class PendingRequest: Sendable {
        private struct Progress {
            var remainingParts: Int
            var receipt = WriteReceipt()
            var refusal: IngestRefusal?
        }

        private let continuation: CheckedContinuation<WriteReceipt, any Error>
        private let progress: Mutex<Progress>

        init(parts: Int, continuation: CheckedContinuation<WriteReceipt, any Error>) {
            self.continuation = continuation
            progress = Mutex(Progress(remainingParts: parts))
        }

        /// Parts not yet committed or failed.
        var remainingParts: Int { progress.withLock { $0.remainingParts } }

        /// One part committed with `share`, its own spans left out by the trace limit.
        func partCommitted(_ share: WriteReceipt) {
            finishPart { $0.receipt.spansOverTraceLimit += share.spansOverTraceLimit }
        }

        /// One part failed (or was refused before it was written).
        func partFailed(_ refusal: IngestRefusal) {
            finishPart { progress in
                if progress.refusal == nil { progress.refusal = refusal }
            }
        }

        private func finishPart(_ record: (inout Progress) -> Void) {
            let answer = progress.withLock { progress -> Result<WriteReceipt, IngestRefusal>? in
                guard progress.remainingParts > 0 else { return nil }
                record(&progress)
                progress.remainingParts -= 1
                guard progress.remainingParts == 0 else { return nil }
                if let refusal = progress.refusal { return .failure(refusal) }
                return .success(progress.receipt)
            }
            switch answer {
            case .success(let receipt): continuation.resume(returning: receipt)
            case .failure(let refusal): continuation.resume(throwing: refusal)
            case nil: break
            }
        }
    }

    /// The writer that writes `traceID`'s spans: the same one for every span of a trace, so the
    /// per-trace span limit stays exact and one trace is never in two transactions at once.
    static func writerIndex(for traceID: TraceID, writers: Int) -> Int {
        guard writers > 1 else { return 0 }
        return Int((traceID.high ^ traceID.low) % UInt64(writers))
    }

    /// `spans` split by writer, in their order within each writer; writers without spans are left out.
    static func parts(of spans: [Span], writers: Int) -> [(writer: Int, spans: [Span])] {
        guard writers > 1 else { return [(0, spans)] }
        var byWriter = Array(repeating: [Span](), count: writers)
        for span in spans { byWriter[writerIndex(for: span.traceID, writers: writers)].append(span) }
        return byWriter.enumerated().compactMap { index, spans in spans.isEmpty ? nil : (index, spans) }
    }
}
