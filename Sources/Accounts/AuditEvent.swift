import Foundation

/// One entry of the audit log: who did what to what, when, from where.
///
/// Every free-text field is passed through `AuditText.sanitised` when the event is made, so the
/// log holds one line per field, with control and invisible characters escaped and lengths capped.
public struct AuditEvent: Sendable, Hashable {
    /// Assigned by the store when the event is appended (nil before).
    public var id: Int64?
    public var time: Date
    /// The user acting (or owning the token that acted); nil for anonymous (a failed sign-in).
    public var actorUserID: UUID?
    /// The user name, `token:<name>`, or the name someone tried to sign in with.
    public private(set) var actorName: String
    public var action: AuditAction
    /// What was acted on: a trace id, a user name, a token name, a search…
    public private(set) var target: String?
    /// The state before and after a change, as JSON text (sanitised and capped like the rest).
    public private(set) var before: String?
    public private(set) var after: String?
    public private(set) var clientAddress: String?

    /// Caps in unicode scalars, after escaping.
    public enum Limit {
        public static let actorName = 200
        public static let target = 1_000
        public static let change = 8_000
        public static let clientAddress = 100
    }

    public init(
        id: Int64? = nil, time: Date = Date(), actorUserID: UUID?, actorName: String, action: AuditAction,
        target: String? = nil, before: String? = nil, after: String? = nil, clientAddress: String? = nil
    ) {
        self.id = id
        self.time = time
        self.actorUserID = actorUserID
        self.actorName = AuditText.sanitised(actorName, limit: Limit.actorName)
        self.action = action
        self.target = target.map { AuditText.sanitised($0, limit: Limit.target) }
        self.before = before.map { AuditText.sanitised($0, limit: Limit.change) }
        self.after = after.map { AuditText.sanitised($0, limit: Limit.change) }
        self.clientAddress = clientAddress.map { AuditText.sanitised($0, limit: Limit.clientAddress) }
    }

    /// An event done by `principal`.
    public init(
        time: Date = Date(), principal: Principal, action: AuditAction,
        target: String? = nil, before: String? = nil, after: String? = nil, clientAddress: String? = nil
    ) {
        self.init(
            time: time, actorUserID: principal.userID, actorName: principal.displayName, action: action,
            target: target, before: before, after: after, clientAddress: clientAddress
        )
    }

    /// Whether every free-text field is as `init` leaves it (see `AuditText.isSanitised`).
    public var isSanitised: Bool {
        AuditText.isSanitised(actorName, limit: Limit.actorName)
            && (target.map { AuditText.isSanitised($0, limit: Limit.target) } ?? true)
            && (before.map { AuditText.isSanitised($0, limit: Limit.change) } ?? true)
            && (after.map { AuditText.isSanitised($0, limit: Limit.change) } ?? true)
            && (clientAddress.map { AuditText.isSanitised($0, limit: Limit.clientAddress) } ?? true)
    }

    /// An event read back from a store: the fields were sanitised when it was appended and are
    /// taken as they are (sanitising again would double every backslash).
    public static func restored(
        id: Int64, time: Date, actorUserID: UUID?, actorName: String, action: AuditAction,
        target: String?, before: String?, after: String?, clientAddress: String?
    ) -> AuditEvent {
        var event = AuditEvent(time: time, actorUserID: actorUserID, actorName: "", action: action)
        event.id = id
        event.actorName = actorName
        event.target = target
        event.before = before
        event.after = after
        event.clientAddress = clientAddress
        return event
    }
}
