import Crypto
import Dispatch
import Foundation
import HummingbirdBcrypt
import Synchronization

/// Hashes and verifies passwords with bcrypt, off Swift's cooperative thread pool.
///
/// bcrypt reads at most 72 bytes and stops at a NUL byte, so the password is first reduced to the
/// base64 of its SHA-256 (44 bytes): every one of a 128-character password's characters counts.
/// `verify` with no stored hash (an unknown user) still runs bcrypt against a dummy hash of
/// the same cost, so an unknown user and a wrong password take the same time.
public struct PasswordHasher: Sendable {
    /// bcrypt's log2 work factor: 12 in production; tests pass 4 (the minimum) to run fast.
    public let cost: UInt8

    public static let defaultCost: UInt8 = 12

    /// - Precondition: `cost` is within bcrypt's 4…31.
    public init(cost: UInt8 = PasswordHasher.defaultCost) {
        precondition((4...31).contains(cost), "bcrypt cost must be within 4...31")
        self.cost = cost
    }

    /// A new salted hash of `password`.
    public func hash(_ password: String) async -> String {
        let input = Self.bcryptInput(password), cost = cost
        return await Self.offCooperativePool { Bcrypt.hash(input, cost: cost) }
    }

    /// Whether `password` matches `storedHash`; with a nil `storedHash` it does the same work and
    /// returns false.
    public func verify(_ password: String, against storedHash: String?) async -> Bool {
        let input = Self.bcryptInput(password)
        let hash: String
        if let storedHash { hash = storedHash } else { hash = await dummyHash() }
        let matches = await Self.offCooperativePool { Bcrypt.verify(input, hash: hash) }
        return matches && storedHash != nil
    }

    /// Whether `storedHash` was made with another cost and should be replaced after the next
    /// successful sign-in.
    public func needsRehash(_ storedHash: String) -> Bool {
        let parts = storedHash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 2, let stored = UInt8(parts[1]) else { return true }
        return stored != cost
    }

    /// Makes the dummy hash now (one bcrypt), so the first unknown user's sign-in does not take
    /// longer than a wrong password's. Call once at start-up; optional.
    public func warmUp() async {
        _ = await dummyHash()
    }

    /// Real hashes of a random string, one per cost, made on first use: verifying against one is
    /// exactly the work of verifying a real password of that cost.
    private static let dummyHashes = Mutex<[UInt8: String]>([:])

    func dummyHash() async -> String {
        let cost = cost
        if let known = Self.dummyHashes.withLock({ $0[cost] }) { return known }
        let made = await hash(SecretToken.generate(.session).value)
        return Self.dummyHashes.withLock { hashes in
            if let first = hashes[cost] { return first }
            hashes[cost] = made
            return made
        }
    }

    static func bcryptInput(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// bcrypt blocks its thread for a quarter of a second at cost 12; a Dispatch thread takes it
    /// so the cooperative pool (one thread per core) keeps serving requests.
    private static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: work())
            }
        }
    }
}
