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
/// - A user with two-step sign-in on must also give the authenticator's code: checked only after
///   the password (so bcrypt runs on every attempt), accepted only when `TOTP.matchingStep` finds
///   it and the store records its step as unused (`useTOTPStep`), so a code works once. A missing,
///   wrong or replayed code is a failure exactly like a wrong password: same answer, same throttle
///   count, same `login.failed` entry.
/// - Success makes a brand-new session secret (never one the browser brought), rehashes the
///   password when the hasher's cost changed, and clears the account's failures.
/// - Every attempt is audited: `login.succeeded`, `login.failed` or `login.throttled`.
public struct SignIn: Sendable {
    /// The outcome of `attempt`.
    public enum Outcome: Sendable {
        /// Signed in: hand `sessionSecret` to the browser in the session cookie.
        case succeeded(user: User, session: Session, sessionSecret: String)
        /// Wrong name, password or code, disabled account or throttled: one answer for all.
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

    /// Signs `name` in with `password` and, when the user has two-step sign-in on, the current
    /// authenticator `code` (ignored for users without it).
    public func attempt(name: String, password: String, code: String? = nil, address: String) async throws -> Outcome {
        if case .locked = throttle.check(account: name, address: address) {
            try await store.appendAudit(
                AuditEvent(time: now(), actorUserID: nil, actorName: name, action: .loginThrottled, clientAddress: address))
            return .refused
        }
        let user = User.problem(withName: name) == nil ? try await store.user(named: name) : nil
        let matches = await hasher.verify(password, against: user?.passwordHash)
        var accepted = matches
        if let user, matches, !user.isDisabled {
            accepted = try await acceptsSecondStep(of: user, code: code)
        }
        guard let user, accepted, !user.isDisabled else {
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

    /// True for a user without two-step sign-in; otherwise whether `code` belongs to a step near
    /// now that the store had not seen used (and now records as used).
    private func acceptsSecondStep(of user: User, code: String?) async throws -> Bool {
        guard let secret = user.totpSecret else { return true }
        guard let totp = TOTP(base32Secret: secret), let code, !code.isEmpty,
              let step = totp.matchingStep(for: code, at: now())
        else { return false }
        return try await store.useTOTPStep(step, userID: user.id)
    }

    /// A new session for `user` (also used right after the first admin is created).
    public func openSession(for user: User) async throws -> (session: Session, secret: String) {
        let secret = SecretToken.generate(.session)
        let session = Session(idHash: secret.hash, userID: user.id, createdAt: now())
        try await store.createSession(session)
        return (session, secret.value)
    }
}
