import Accounts
import Foundation
import Logging
import Storage

/// Checks a user name and password and opens a session: the sign-in rules in one place.
///
/// - `LoginThrottle` is asked first, per account and per client address; a locked attempt does
///   not reach bcrypt and is answered exactly like a wrong password.
/// - An unknown user, a disabled user and a wrong password all cost one bcrypt verification and
///   give the same `.refused`.
/// - Success makes a brand-new session secret (never one the browser brought), rehashes the
///   password when the hasher's cost changed, and clears the account's failures.
/// - Every attempt is audited: `login.succeeded`, `login.failed` or `login.throttled`.
public struct SignIn: Sendable {
    /// The outcome of `attempt`.
    public enum Outcome: Sendable {
        /// Signed in: hand `sessionSecret` to the browser in the session cookie.
        case succeeded(user: User, session: Session, sessionSecret: String)
        /// Wrong name or password, disabled account or throttled: one answer for all.
        case refused
    }

    let store: any AccountStore
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let now: @Sendable () -> Date

    public init(store: any AccountStore, hasher: PasswordHasher, throttle: LoginThrottle, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
        self.now = now
    }

    public func attempt(name: String, password: String, address: String) async throws -> Outcome {
        if case .locked = throttle.check(account: name, address: address) {
            try await store.appendAudit(
                AuditEvent(time: now(), actorUserID: nil, actorName: name, action: .loginThrottled, clientAddress: address))
            return .refused
        }
        let user = User.problem(withName: name) == nil ? try await store.user(named: name) : nil
        let matches = await hasher.verify(password, against: user?.passwordHash)
        guard let user, matches, !user.isDisabled else {
            throttle.recordFailure(account: name, address: address)
            try await store.appendAudit(
                AuditEvent(time: now(), actorUserID: user?.id, actorName: user?.name ?? name, action: .loginFailed, clientAddress: address))
            return .refused
        }
        throttle.recordSuccess(account: name, address: address)
        if hasher.needsRehash(user.passwordHash) {
            _ = try await store.setPasswordHash(await hasher.hash(password), userID: user.id)
        }
        let opened = try await openSession(for: user)
        try await store.appendAudit(
            AuditEvent(time: now(), actorUserID: user.id, actorName: user.name, action: .loginSucceeded, clientAddress: address))
        return .succeeded(user: user, session: opened.session, sessionSecret: opened.secret)
    }

    /// A new session for `user` (also used right after the first admin is created).
    public func openSession(for user: User) async throws -> (session: Session, secret: String) {
        let secret = SecretToken.generate(.session)
        let session = Session(idHash: secret.hash, userID: user.id, createdAt: now())
        try await store.createSession(session)
        return (session, secret.value)
    }
}
