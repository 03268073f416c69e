import Foundation
import Synchronization

/// Ingest tokens accepted recently, by the SHA-256 of their secret, for `IngestAuthorization`.
///
/// Bounded: at most `capacity` entries; when full, expired entries go first, then the oldest.
/// An entry lives `lifetime` seconds (never past the token's own expiry) and is not renewed by
/// hits, so a revoked token is refused at most `lifetime` after its revocation.
public final class IngestTokenCache: Sendable {
    /// A cached acceptance.
    struct Hit {
        let tokenID: UUID
        /// Whether the token's last use should be recorded now (none recorded for `touchInterval`).
        let needsTouch: Bool
    }

    private struct Entry {
        let tokenID: UUID
        let cachedAt: Date
        let validUntil: Date
        var touchedAt: Date
    }

    /// Entries held at most by default.
    public static let defaultCapacity = 1_024

    let capacity: Int
    let lifetime: TimeInterval
    let touchInterval: TimeInterval
    private let entries = Mutex<[[UInt8]: Entry]>([:])

    init(capacity: Int, lifetime: TimeInterval, touchInterval: TimeInterval) {
        self.capacity = max(capacity, 1)
        self.lifetime = lifetime
        self.touchInterval = touchInterval
    }

    /// How many entries are held (for tests).
    var count: Int { entries.withLock { $0.count } }

    /// The cached acceptance for `hash` at `now`, nil when there is none or it ran out. A hit that
    /// asks for a touch marks the entry touched, so concurrent hits ask once.
    func acceptedToken(hash: [UInt8], at now: Date) -> Hit? {
        entries.withLock { entries in
            guard var entry = entries[hash] else { return nil }
            guard now < entry.validUntil, now >= entry.cachedAt else {
                entries[hash] = nil
                return nil
            }
            let needsTouch = now.timeIntervalSince(entry.touchedAt) >= touchInterval
            if needsTouch {
                entry.touchedAt = now
                entries[hash] = entry
            }
            return Hit(tokenID: entry.tokenID, needsTouch: needsTouch)
        }
    }

    /// Remembers that the token `tokenID` with secret hash `hash` was accepted (and touched) at `now`.
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
            entries[hash] = Entry(tokenID: tokenID, cachedAt: now, validUntil: validUntil, touchedAt: now)
        }
    }
}
