import Accounts
import Foundation

/// Which audit entries to read: optional filters by acting user, action and time range, and one
/// page of a newest-first listing.
public struct AuditQuery: Sendable, Hashable {
    public var actorUserID: UUID?
    public var actions: Set<AuditAction>
    /// Inclusive lower bound.
    public var from: Date?
    /// Exclusive upper bound.
    public var until: Date?
    /// Continue below this entry id (the `nextCursor` of the previous page); nil for the first page.
    public var before: Int64?
    public var limit: Int

    /// Most entries a page may hold.
    public static let maximumLimit = 500

    public init(actorUserID: UUID? = nil, actions: Set<AuditAction> = [], from: Date? = nil, until: Date? = nil, before: Int64? = nil, limit: Int = 50) {
        self.actorUserID = actorUserID
        self.actions = actions
        self.from = from
        self.until = until
        self.before = before
        self.limit = min(max(limit, 1), Self.maximumLimit)
    }
}

/// One page of audit entries, newest first.
public struct AuditPage: Sendable, Hashable {
    public var events: [AuditEvent]
    /// Pass as `AuditQuery.before` for the next (older) page; nil when this was the last.
    public var nextCursor: Int64?

    public init(events: [AuditEvent], nextCursor: Int64?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}
