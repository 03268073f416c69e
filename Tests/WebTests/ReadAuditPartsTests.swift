import Foundation
import Storage
import Testing
import TraceModel
@testable import Web

/// The parts of the read audit that need no database: which token uses are written, and how a
/// search is described.
@Suite struct ReadAuditPartsTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aTokensUseIsWrittenAtMostOncePerMinute() {
        let limiter = TokenUseLimiter()
        let token = UUID()
        #expect(limiter.claim(token, at: Self.start))
        #expect(!limiter.claim(token, at: Self.start.addingTimeInterval(1)))
        #expect(!limiter.claim(token, at: Self.start.addingTimeInterval(59)))
        #expect(limiter.claim(UUID(), at: Self.start.addingTimeInterval(59)))
        #expect(limiter.claim(token, at: Self.start.addingTimeInterval(60)))
        #expect(!limiter.claim(token, at: Self.start.addingTimeInterval(61)))
    }

    @Test func theLimiterRemembersAtMostItsCapacityForgettingTheOldestFirst() {
        let limiter = TokenUseLimiter(capacity: 3)
        let tokens = (0..<4).map { _ in UUID() }
        for (offset, token) in tokens.enumerated() {
            #expect(limiter.claim(token, at: Self.start.addingTimeInterval(Double(offset))))
        }
        #expect(limiter.count == 3)
        // The first token was forgotten to make room, so its next use is written again.
        #expect(limiter.claim(tokens[0], at: Self.start.addingTimeInterval(5)))
        #expect(!limiter.claim(tokens[3], at: Self.start.addingTimeInterval(5)))
        #expect(limiter.count == 3)
    }

    @Test func aSearchIsDescribedOnOneLineWithQuotedValues() {
        let query = TraceQuery(
            service: "checkout", operation: "GET /cart", attributes: ["b": "two words", "a": "1"],
            startMinUnixNano: 1_800_000_000_000_000_000, startMaxUnixNano: 1_800_003_600_000_000_000,
            durationMinNanos: 250_000_000, errorsOnly: true, limit: 50)
        #expect(query.auditDescription == """
            service=checkout operation="GET /cart" tags=a=1,b="two words" minDuration=250ms errors \
            from=2027-01-15T08:00:00Z to=2027-01-15T09:00:00Z limit=50
            """)
    }

    @Test func aQuoteInAValueCannotEndTheQuotedValueEarly() {
        let query = TraceQuery(service: "a\" operation=\"x", startMinUnixNano: 0, startMaxUnixNano: 0)
        #expect(query.auditDescription.hasPrefix(#"service="a\" operation=\"x" from="#))
    }

    @Test func readsNameTheirActionAndTarget() {
        let id = TraceID(high: 0xab, low: 0xcd)
        #expect(AuditedRead.traceViewed(id).action == .traceViewed)
        #expect(AuditedRead.exported(id).action == .export)
        #expect(AuditedRead.exported(id).target == id.hex)
        #expect(AuditedRead.searchRun("service=a").target == "service=a")
    }
}
