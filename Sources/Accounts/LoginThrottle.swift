import Foundation
import Synchronization

/// Slows down password guessing: failed sign-ins are counted per account and per client address
/// over a sliding window, and once either count reaches its limit, sign-in from there (or to that
/// account) is refused until enough failures have left the window.
///
/// Call `check` before verifying a password (a locked attempt must not reach bcrypt, and should be
/// answered like a wrong password), then `recordFailure` or `recordSuccess`. Memory is bounded:
/// at most `maximumTrackedKeys` accounts and as many addresses are remembered, the stalest first
/// forgotten.
public final class LoginThrottle: Sendable {
    /// Limits and window.
    public struct Policy: Sendable, Hashable {
        public var failuresPerAccount: Int
        public var failuresPerAddress: Int
        public var window: TimeInterval
        public var maximumTrackedKeys: Int

        /// 5 failures per account and 20 per address in any 15 minutes.
        public static let standard = Policy(failuresPerAccount: 5, failuresPerAddress: 20, window: 15 * 60, maximumTrackedKeys: 10_000)

        public init(failuresPerAccount: Int, failuresPerAddress: Int, window: TimeInterval, maximumTrackedKeys: Int) {
            self.failuresPerAccount = max(1, failuresPerAccount)
            self.failuresPerAddress = max(1, failuresPerAddress)
            self.window = window
            self.maximumTrackedKeys = max(1, maximumTrackedKeys)
        }
    }

    /// The answer of `check`.
    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused until `until`; `reason` says whether the account or the address is locked.
        case locked(until: Date, reason: Reason)
    }

    /// What reached its limit.
    public enum Reason: Sendable, Hashable {
        case account
        case address
    }

    public let policy: Policy
    private let now: @Sendable () -> Date
    private let state: Mutex<State>

    public init(policy: Policy = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.now = now
        self.state = Mutex(State())
    }

    /// Whether a sign-in to `account` from `address` may be attempted now.
    public func check(account: String, address: String) -> Decision {
        let now = now(), policy = policy
        return state.withLock { state in
            let accountUntil = state.accounts.lockedUntil(Self.accountKey(account), limit: policy.failuresPerAccount, window: policy.window, now: now)
            let addressUntil = state.addresses.lockedUntil(address, limit: policy.failuresPerAddress, window: policy.window, now: now)
            switch (accountUntil, addressUntil) {
            case (nil, nil): return .allowed
            case (let account?, nil): return .locked(until: account, reason: .account)
            case (nil, let address?): return .locked(until: address, reason: .address)
            case (let account?, let address?):
                return account >= address ? .locked(until: account, reason: .account) : .locked(until: address, reason: .address)
            }
        }
    }

    /// Counts a failed sign-in (wrong password, unknown user, wrong TOTP code) against both.
    public func recordFailure(account: String, address: String) {
        let now = now(), policy = policy
        state.withLock { state in
            state.accounts.record(Self.accountKey(account), at: now, keep: policy.failuresPerAccount, window: policy.window, maximumKeys: policy.maximumTrackedKeys)
            state.addresses.record(address, at: now, keep: policy.failuresPerAddress, window: policy.window, maximumKeys: policy.maximumTrackedKeys)
        }
    }

    /// Clears the account's failures after a successful sign-in; the address keeps its count, so
    /// one good account does not reset guessing at others from the same place.
    public func recordSuccess(account: String, address: String) {
        state.withLock { state in
            state.accounts.clear(Self.accountKey(account))
        }
    }

    /// Accounts and addresses currently remembered (for tests and metrics).
    public var trackedKeyCount: (accounts: Int, addresses: Int) {
        state.withLock { ($0.accounts.count, $0.addresses.count) }
    }

    /// Sign-in names are unique without regard to case, so `Admin` and `admin` share a count.
    private static func accountKey(_ account: String) -> String {
        account.lowercased()
    }

    private struct State {
        var accounts = FailureLog()
        var addresses = FailureLog()
    }
}

/// Recent failure times per key, newest last, at most `keep` per key.
private struct FailureLog {
    private var failures: [String: [Date]] = [:]

    var count: Int { failures.count }

    /// When the key's failures inside the window drop below `limit` again, or nil when they already are.
    mutating func lockedUntil(_ key: String, limit: Int, window: TimeInterval, now: Date) -> Date? {
        guard var times = failures[key] else { return nil }
        times.removeAll { $0.addingTimeInterval(window) <= now }
        if times.isEmpty {
            failures[key] = nil
            return nil
        }
        failures[key] = times
        guard times.count >= limit else { return nil }
        // The failure whose leaving brings the count below the limit.
        return times[times.count - limit].addingTimeInterval(window)
    }

    mutating func record(_ key: String, at now: Date, keep: Int, window: TimeInterval, maximumKeys: Int) {
        var times = failures[key] ?? []
        times.removeAll { $0.addingTimeInterval(window) <= now }
        times.append(now)
        if times.count > keep { times.removeFirst(times.count - keep) }
        failures[key] = times
        if failures.count > maximumKeys { evict(keeping: maximumKeys, window: window, now: now) }
    }

    mutating func clear(_ key: String) {
        failures[key] = nil
    }

    /// Drops keys whose failures have all left the window, then the stalest keys down to nine
    /// tenths of the bound, so a flood of new keys pays for eviction once per many records.
    private mutating func evict(keeping maximumKeys: Int, window: TimeInterval, now: Date) {
        failures = failures.filter { _, times in
            guard let newest = times.last else { return false }
            return newest.addingTimeInterval(window) > now
        }
        guard failures.count > maximumKeys else { return }
        let target = max(1, maximumKeys * 9 / 10)
        let stalest = failures
            .map { (key: $0.key, newest: $0.value.last ?? .distantPast) }
            .sorted { $0.newest < $1.newest }
            .prefix(failures.count - target)
        for entry in stalest { failures[entry.key] = nil }
    }
}
