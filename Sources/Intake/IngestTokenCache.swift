import Foundation
import Synchronization

/// Ingest tokens accepted recently, by the SHA-256 of their secret, for `IngestAuthorization`.
///
/// Bounded: at most `capacity` entries; when full, expired entries go first, then the oldest.
/// An entry lives `lifetime` seconds (never past the token's own expiry) and is not renewed by
/// hits, so a revoked token is refused at most `lifetime` after its revocation. Apart from the
/// entries, it keeps when each token's use was last recorded (as boundedly), so uses are recorded
/// at most once per `touchInterval` even when that is longer than `lifetime`.
public final class IngestTokenCache: Sendable {
    private struct Entry {
        let tokenID: UUID
        let cachedAt: Date
        let validUntil: Date
    }

    /// Entries held at most by default.
    public static let defaultCapacity = 1_024

    let capacity: Int
    let lifetime: TimeInterval
    let touchInterval: TimeInterval
    private let entries = Mutex<[[UInt8]: Entry]>([:])
    private let touches = Mutex<[UUID: Date]>([:])

    init(capacity: Int, lifetime: TimeInterval, touchInterval: TimeInterval) {
        self.capacity = max(capacity, 1)
        self.lifetime = lifetime
        self.touchInterval = touchInterval
    }

    /// How many entries are held (for tests).
    var count: Int { entries.withLock { $0.count } }

    /// The token id cached for `hash` at `now`, nil when there is none or it ran out.
    func acceptedToken(hash: [UInt8], at now: Date) -> UUID? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard now < entry.validUntil, now >= entry.cachedAt else {
                entries[hash] = nil
                return nil
            }
            return entry.tokenID
        }
    }

    /// Whether the use of `tokenID` at `now` should be recorded: true when none was for
    /// `touchInterval`, and then it counts as recorded (so concurrent requests ask once).
    func claimTouch(of tokenID: UUID, at now: Date) -> Bool {
        touches.withLock { touches in
            if let last = touches[tokenID], now >= last, now.timeIntervalSince(last) < touchInterval { return false }
            if touches[tokenID] == nil && touches.count >= capacity {
                touches = touches.filter { now.timeIntervalSince($0.value) < touchInterval }
                while touches.count >= capacity, let oldest = touches.min(by: { $0.value < $1.value }) {
                    touches[oldest.key] = nil
                }
            }
            touches[tokenID] = now
            return true
        }
    }

    /// Remembers that the token `tokenID` with secret hash `hash` was accepted at `now`.
    func remember(hash: [UInt8], tokenID: UUID, expiresAt: Date?, at now: Date) {
        var validUntil = now.addingTimeInterval(lifetime)
        if let expiresAt { validUntil = min(validUntil, expiresAt) }
        guard validUntil > now else { return }
        entries.withLock { entries in
            if entries[hash] == nil && entries.count >= capacity {
                entries = entries.filter { now < $0.value.validUntil }
                while entries.count >= capacity, let oldest = entries.min(by: { $0.value.cachedAt < $1.value.cachedAt }) {
                    entries[oldest.key] = nil
                }
            }
            entries[hash] = Entry(tokenID: tokenID, cachedAt: now, validUntil: validUntil)
        }
    }
}
