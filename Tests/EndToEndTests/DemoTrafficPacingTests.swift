import DemoTraffic
import XCTest

/// The demo sender's pacing and retry decisions, as pure values (no sleeping, no network).
final class DemoTrafficPacingTests: XCTestCase {
    func testPacerSpacesBatchesToTheRate() {
        var pacer = DemoPacer(tracesPerSecond: 10)
        XCTAssertEqual(pacer.delay(beforeSending: 5, elapsed: .zero), .zero)
        XCTAssertEqual(pacer.delay(beforeSending: 5, elapsed: .milliseconds(100)), .milliseconds(400))
        XCTAssertEqual(pacer.delay(beforeSending: 5, elapsed: .milliseconds(500)), .milliseconds(500))
    }

    func testPacerDoesNotBurstToCatchUpAfterAStall() {
        var pacer = DemoPacer(tracesPerSecond: 10)
        _ = pacer.delay(beforeSending: 10, elapsed: .zero)
        XCTAssertEqual(pacer.delay(beforeSending: 10, elapsed: .seconds(5)), .zero)
        XCTAssertEqual(pacer.delay(beforeSending: 10, elapsed: .seconds(5)), .seconds(1), "the schedule restarts from now")
    }

    func testPacerWithRateZeroNeverWaits() {
        var pacer = DemoPacer(tracesPerSecond: 0)
        for step in 0..<5 { XCTAssertEqual(pacer.delay(beforeSending: 100, elapsed: .milliseconds(step)), .zero) }
    }

    func testRetryBacksOffExponentiallyAndGivesUpAfterTheLastAttempt() {
        let policy = DemoRetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(250), maxBackoff: .seconds(1))
        XCTAssertEqual(policy.delay(afterAttempt: 1), .milliseconds(250))
        XCTAssertEqual(policy.delay(afterAttempt: 2), .milliseconds(500))
        XCTAssertEqual(policy.delay(afterAttempt: 3), .seconds(1))
        XCTAssertNil(policy.delay(afterAttempt: 4))
    }

    func testRetryHonoursRetryAfterWithinABound() {
        let policy = DemoRetryPolicy(maxAttempts: 3, maxBackoff: .seconds(5))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: .seconds(2)), .seconds(2))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600)), .seconds(10))
    }

    func testOnlyOverloadAndUnavailableStatusesAreRetried() {
        for status in [429, 502, 503, 504] { XCTAssertTrue(DemoRetryPolicy.isRetryable(status: status), "\(status)") }
        for status in [400, 401, 404, 413, 415, 500] { XCTAssertFalse(DemoRetryPolicy.isRetryable(status: status), "\(status)") }
    }
}
