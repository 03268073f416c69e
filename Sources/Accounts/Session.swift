import Foundation

/// A signed-in browser. The cookie carries a `SecretToken` of kind `.session`; only its SHA-256
/// (`idHash`) is stored, so a copy of the database cannot be used to take over sessions.
public struct Session: Sendable, Hashable {
    public var idHash: [UInt8]
    public var userID: UUID
    public var createdAt: Date
    public var lastSeenAt: Date

    public init(idHash: [UInt8], userID: UUID, createdAt: Date, lastSeenAt: Date? = nil) {
        self.idHash = idHash
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt ?? createdAt
    }
}
