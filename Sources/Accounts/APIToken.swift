import Foundation

/// A long-lived credential for machines: ingest tokens send spans, read tokens query the API.
///
/// Only the SHA-256 of its secret is stored (see `SecretToken`); the secret is shown once.
public struct APIToken: Sendable, Hashable, Identifiable {
    /// What a token is for.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case ingest
        case read

        /// The readable prefix of this kind's secrets.
        public var secretKind: SecretToken.Kind {
            switch self {
            case .ingest: return .ingest
            case .read: return .read
            }
        }
    }

    public var id: UUID
    public var name: String
    public var kind: Kind
    public var ownerUserID: UUID
    /// The services a read token may read (ingest tokens: unrestricted, unused).
    public var scope: ServiceScope
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    /// What a read token may do, at most (less when its owner may do less).
    public static let readPermissions: Set<Permission> = [.tracesRead]

    public init(
        id: UUID = UUID(), name: String, kind: Kind, ownerUserID: UUID, scope: ServiceScope = .unrestricted,
        createdAt: Date = Date(), expiresAt: Date? = nil, lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.ownerUserID = ownerUserID
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether spans sent with this token are accepted at `now`: an ingest token, usable, whose
    /// owner is not disabled. (Ingest is not a `Permission`: it is what ingest tokens are for.)
    public func acceptsIngest(at now: Date, owner: User) -> Bool {
        kind == .ingest && isUsable(at: now) && !owner.isDisabled && owner.id == ownerUserID
    }

    /// Not revoked and not expired at `now`.
    public func isUsable(at now: Date) -> Bool {
        if let revokedAt, revokedAt <= now { return false }
        if let expiresAt, expiresAt <= now { return false }
        return true
    }
}
