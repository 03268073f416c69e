import Accounts
import Foundation
import Storage

/// What `serve` does with accounts at start-up, after migrations: seeds the built-in roles,
/// makes the password hasher's dummy hash, and — while there are no users — creates a one-time
/// setup token valid for `validity` and returns the path of its link (`/setup/<token>`).
public enum FirstAdminSetup {
    /// How long a setup link works.
    public static let validity: TimeInterval = 24 * 60 * 60

    /// The setup link's path when Skein still needs its first admin, else nil.
    public static func prepare(store: any AccountStore, hasher: PasswordHasher, now: Date = Date()) async throws -> String? {
        try await store.seedBuiltInRoles()
        await hasher.warmUp()
        guard try await store.userCount() == 0 else { return nil }
        let token = SecretToken.generate(.setup)
        try await store.createSetupToken(secretHash: token.hash, createdAt: now, expiresAt: now.addingTimeInterval(validity))
        return "/setup/\(token.value)"
    }
}
