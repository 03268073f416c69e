import Foundation
import Synchronization

/// Decides which uses of a read token `ReadAuditRecorder` writes to the audit log: at most one
/// per token per `interval` (a minute), so a script polling the API does not flood the log.
///
/// It remembers, in memory, when each token's use was last written: a bounded map of at most
/// `capacity` tokens. When full, entries older than `interval` go first, then the oldest, so a
/// token forgotten that way may be written again within the minute (never left unrecorded).
/// The map starts empty on every start of the server.
public final class TokenUseLimiter: Sendable {
    /// Tokens remembered at most by default.
    public static let defaultCapacity = 4_096

    let capacity: Int
    let interval: TimeInterval
    private let lastWritten = Mutex<[UUID: Date]>([:])

    public init(capacity: Int = TokenUseLimiter.defaultCapacity, interval: TimeInterval = 60) {
        self.capacity = max(capacity, 1)
        self.interval = interval
    }

    /// How many tokens are remembered (for tests).
    var count: Int { lastWritten.withLock { $0.count } }

    /// Whether the use of `tokenID` at `now` should be written: true when none was within
    /// `interval`, and the use then counts as written (so concurrent requests write once).
    public func claim(_ tokenID: UUID, at now: Date) -> Bool {
        lastWritten.withLock { lastWritten in
            if let last = lastWritten[tokenID], now >= last, now.timeIntervalSince(last) < interval { return false }
            if lastWritten[tokenID] == nil && lastWritten.count >= capacity {
                lastWritten = lastWritten.filter { now.timeIntervalSince($0.value) < interval }
                while lastWritten.count >= capacity, let oldest = lastWritten.min(by: { $0.value < $1.value }) {
                    lastWritten[oldest.key] = nil
                }
            }
            lastWritten[tokenID] = now
            return true
        }
    }
}
