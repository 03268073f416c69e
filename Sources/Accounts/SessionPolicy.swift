import Foundation

/// How long a session lives: it ends after `idleTimeout` without a request and, whatever the
/// activity, `absoluteLifetime` after sign-in.
public struct SessionPolicy: Sendable, Hashable {
    public var idleTimeout: TimeInterval
    public var absoluteLifetime: TimeInterval

    /// 30 minutes idle, 12 hours in all.
    public static let standard = SessionPolicy(idleTimeout: 30 * 60, absoluteLifetime: 12 * 60 * 60)

    public init(idleTimeout: TimeInterval, absoluteLifetime: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
    }

    /// When `session` ends unless it is used again before then.
    public func expiry(of session: Session) -> Date {
        min(session.lastSeenAt.addingTimeInterval(idleTimeout), session.createdAt.addingTimeInterval(absoluteLifetime))
    }

    /// Whether `session` has ended at `now`.
    public func isExpired(_ session: Session, at now: Date) -> Bool {
        now >= expiry(of: session)
    }
}
