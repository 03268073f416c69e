import Foundation
@testable import Intake
import Testing

/// The bounded map of recently accepted ingest tokens.
@Suite struct IngestTokenCacheTests {
    @Test func theCacheHoldsNoMoreThanItsCapacityDroppingTheOldest() {
        let cache = IngestTokenCache(capacity: 3, lifetime: 30, touchInterval: 60)
        let start = Date(timeIntervalSince1970: 1_000)
        for index in 0..<5 {
            cache.remember(hash: [UInt8(index)], tokenID: UUID(), expiresAt: nil, at: start.addingTimeInterval(Double(index)))
        }
        #expect(cache.count == 3)
        #expect(cache.acceptedToken(hash: [0], at: start.addingTimeInterval(5)) == nil)
        #expect(cache.acceptedToken(hash: [4], at: start.addingTimeInterval(5)) != nil)
    }
}
