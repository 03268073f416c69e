import Accounts
import Foundation

/// Where users, roles, sessions, API tokens, setup tokens and the audit log are kept.
///
/// Contract for every implementation:
/// - Secrets are never stored: sessions and tokens are found by the SHA-256 of their secret
///   (`SecretToken.hash`), passwords are `PasswordHasher` output.
/// - User and role names are unique without regard to case; creating or renaming onto a taken
///   name MUST throw `AccountStoreError.nameTaken` and change nothing.
/// - Built-in roles MUST NOT be changed or deleted (`AccountStoreError.builtInRole`).
/// - The audit log is append-only: nothing in this protocol changes or removes an entry, and an
///   append returns only after the entry is durably stored.
/// - Lookups of things that do not exist return nil (or false), they do not throw.
public protocol AccountStore: Sendable {
    // MARK: Roles

    /// Inserts the built-in roles, or brings them back to `Role.builtIns` if a row drifted. Idempotent.
    func seedBuiltInRoles() async throws
    /// Every role: the built-ins first (in the order of `Role.builtIns`), then the others by name.
    func roles() async throws -> [Role]
    func role(id: UUID) async throws -> Role?
    func createRole(_ role: Role) async throws
    /// Replaces name, permissions and scope of an existing custom role; false when there is none.
    func updateRole(_ role: Role) async throws -> Bool
    /// Deletes a custom role (users holding it lose it); false when there is none.
    func deleteRole(id: UUID) async throws -> Bool

    // MARK: Users

    func createUser(_ user: User) async throws
    func user(id: UUID) async throws -> User?
    /// The user with this sign-in name, compared without regard to case.
    func user(named name: String) async throws -> User?
    /// Every user, by name.
    func users() async throws -> [User]
    /// How many users exist: zero means Skein still needs its first admin.
    func userCount() async throws -> Int
    /// Changes the display name; false when there is no such user.
    func setDisplayName(_ displayName: String, userID: UUID) async throws -> Bool
    func setPasswordHash(_ hash: String, userID: UUID) async throws -> Bool
    func setDisabled(_ disabled: Bool, userID: UUID) async throws -> Bool
    /// Replaces the user's roles with exactly `roleIDs`.
    func setRoles(_ roleIDs: Set<UUID>, userID: UUID) async throws -> Bool
    /// Turns two-step sign-in on (a base32 secret) or off (nil); forgets the last used step.
    func setTOTPSecret(_ secret: String?, userID: UUID) async throws -> Bool
    /// Records that the code of `step` was used; false when that step or a later one was already
    /// used (a replayed code), so the sign-in MUST be refused. Atomic across concurrent sign-ins.
    func useTOTPStep(_ step: Int64, userID: UUID) async throws -> Bool

    // MARK: Sessions

    func createSession(_ session: Session) async throws
    func session(idHash: [UInt8]) async throws -> Session?
    /// Moves `lastSeenAt` forward (never back); false when the session is gone.
    func touchSession(idHash: [UInt8], at time: Date) async throws -> Bool
    func deleteSession(idHash: [UInt8]) async throws -> Bool
    /// Signs the user out everywhere; returns how many sessions ended.
    func deleteSessions(userID: UUID) async throws -> Int
    /// Removes sessions that `policy` has ended at `now`; returns how many.
    func deleteExpiredSessions(policy: SessionPolicy, now: Date) async throws -> Int

    // MARK: API tokens

    func createAPIToken(_ token: APIToken, secretHash: [UInt8]) async throws
    /// The token with this secret hash, revoked and expired ones included (the caller decides
    /// with `APIToken.isUsable(at:)`, and can say why it was refused).
    func apiToken(secretHash: [UInt8]) async throws -> APIToken?
    func apiToken(id: UUID) async throws -> APIToken?
    /// Records a use: moves `lastUsedAt` forward (never back).
    func touchAPIToken(id: UUID, at time: Date) async throws -> Bool
    /// Revokes a token; false when there is none or it was already revoked (the first time stays).
    func revokeAPIToken(id: UUID, at time: Date) async throws -> Bool
    /// Tokens, oldest first; only one owner's when `ownerUserID` is given.
    func apiTokens(ownerUserID: UUID?) async throws -> [APIToken]

    // MARK: Setup tokens

    /// Stores a one-time first-admin setup token valid until `expiresAt`.
    func createSetupToken(secretHash: [UInt8], createdAt: Date, expiresAt: Date) async throws
    /// Uses up the setup token: true exactly once, and only before it expires.
    func consumeSetupToken(secretHash: [UInt8], at time: Date) async throws -> Bool

    // MARK: Audit log

    /// Appends `event` and returns its id (ids grow with every append). An event whose text is not
    /// sanitised (`AuditEvent.isSanitised`) MUST be refused with `AccountStoreError.unsanitisedAuditEvent`.
    @discardableResult
    func appendAudit(_ event: AuditEvent) async throws -> Int64
    /// Entries matching `query`, newest first, one page at a time.
    func auditEvents(_ query: AuditQuery) async throws -> AuditPage
}

extension AccountStore {
    /// The principal for a signed-in user, or nil when the user does not exist.
    public func principal(userID: UUID) async throws -> Principal? {
        guard let user = try await user(id: userID) else { return nil }
        return Principal(user: user, roles: try await roles())
    }

    /// The principal for a presented API token secret, or nil when no token has that secret.
    /// Revoked or expired tokens, and tokens of disabled owners, give a principal with no permissions.
    public func principal(apiTokenSecret presented: String, now: Date) async throws -> (Principal, APIToken)? {
        guard let token = try await apiToken(secretHash: SecretToken.hash(presented)),
              let owner = try await user(id: token.ownerUserID)
        else { return nil }
        return (Principal(token: token, owner: owner, ownerRoles: try await roles(), now: now), token)
    }
}
