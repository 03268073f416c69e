import Accounts
import Foundation
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0.addTimeInterval(seconds) } }
}

@Suite("Login throttle")
struct LoginThrottleTests {
    let clock = ManualClock()
    let policy = LoginThrottle.Policy(failuresPerAccount: 5, failuresPerAddress: 20, window: 15 * 60, maximumTrackedKeys: 1_000)

    func throttle(_ policy: LoginThrottle.Policy? = nil) -> LoginThrottle {
        let clock = clock
        return LoginThrottle(policy: policy ?? self.policy, now: { clock.now })
    }

    @Test("Five failures lock the account for the rest of the window")
    func accountLocks() {
        let throttle = throttle()
        let start = clock.now
        for attempt in 0..<5 {
            #expect(throttle.check(account: "ada", address: "10.0.0.\(attempt)") == .allowed)
            throttle.recordFailure(account: "ada", address: "10.0.0.\(attempt)")
            clock.advance(by: 60)
        }
        #expect(throttle.check(account: "ada", address: "10.9.9.9") == .locked(until: start.addingTimeInterval(900), reason: .account))
        // Other accounts from a fresh address are not affected.
        #expect(throttle.check(account: "grace", address: "10.9.9.9") == .allowed)
    }

    @Test("Account names are counted without regard to case")
    func caseInsensitiveAccounts() {
        let throttle = throttle()
        for name in ["Ada", "ADA", "ada", "aDa", "adA"] { throttle.recordFailure(account: name, address: "10.0.0.1") }
        if case .locked(_, .account) = throttle.check(account: "ada", address: "10.0.0.2") {} else {
            Issue.record("expected the account to be locked")
        }
    }

    @Test("The window slides: the lock ends when the oldest failure leaves it")
    func slidingWindow() {
        let throttle = throttle()
        throttle.recordFailure(account: "ada", address: "a")
        clock.advance(by: 300)
        for _ in 0..<4 { throttle.recordFailure(account: "ada", address: "a") }
        #expect(throttle.check(account: "ada", address: "a") != .allowed)
        clock.advance(by: 599)
        #expect(throttle.check(account: "ada", address: "a") != .allowed)
        clock.advance(by: 1)
        #expect(throttle.check(account: "ada", address: "a") == .allowed)
        // One more failure reaches five inside the window again.
        throttle.recordFailure(account: "ada", address: "a")
        #expect(throttle.check(account: "ada", address: "a") != .allowed)
    }

    @Test("Twenty failures from one address lock that address for every account")
    func addressLocks() {
        let throttle = throttle()
        for number in 0..<20 {
            #expect(throttle.check(account: "user\(number)", address: "192.0.2.7") == .allowed)
            throttle.recordFailure(account: "user\(number)", address: "192.0.2.7")
        }
        guard case .locked(_, .address) = throttle.check(account: "someone-new", address: "192.0.2.7") else {
            Issue.record("expected the address to be locked")
            return
        }
        #expect(throttle.check(account: "someone-new", address: "192.0.2.8") == .allowed)
    }

    @Test("A success clears the account's failures but not the address's")
    func successClearsAccount() {
        let throttle = throttle(LoginThrottle.Policy(failuresPerAccount: 3, failuresPerAddress: 4, window: 900, maximumTrackedKeys: 100))
        for _ in 0..<3 { throttle.recordFailure(account: "ada", address: "a") }
        #expect(throttle.check(account: "ada", address: "b") != .allowed)
        throttle.recordSuccess(account: "ada", address: "a")
        #expect(throttle.check(account: "ada", address: "b") == .allowed)
        throttle.recordFailure(account: "grace", address: "a")
        guard case .locked(_, .address) = throttle.check(account: "ada", address: "a") else {
            Issue.record("expected the address to stay counted")
            return
        }
    }

    @Test("Memory stays bounded: the stalest keys are forgotten first")
    func boundedMemory() {
        let throttle = throttle(LoginThrottle.Policy(failuresPerAccount: 5, failuresPerAddress: 20, window: 900, maximumTrackedKeys: 100))
        for number in 0..<1_000 {
            throttle.recordFailure(account: "user\(number)", address: "10.0.\(number / 250).\(number % 250)")
            clock.advance(by: 0.01)
        }
        let tracked = throttle.trackedKeyCount
        #expect(tracked.accounts <= 100)
        #expect(tracked.addresses <= 100)
        // The newest are still counted.
        for _ in 0..<4 { throttle.recordFailure(account: "user999", address: "x") }
        #expect(throttle.check(account: "user999", address: "y") != .allowed)
    }

    @Test("Keys whose failures all left the window are dropped when memory is full")
    func expiredKeysGoFirst() {
        let throttle = throttle(LoginThrottle.Policy(failuresPerAccount: 5, failuresPerAddress: 20, window: 60, maximumTrackedKeys: 10))
        for number in 0..<10 { throttle.recordFailure(account: "old\(number)", address: "old") }
        clock.advance(by: 61)
        throttle.recordFailure(account: "new", address: "new")
        #expect(throttle.trackedKeyCount.accounts == 1)
    }
}
