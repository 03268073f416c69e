import Accounts
import Foundation
import PostgresNIO

extension PostgresAccountStore {
    public func createSession(_ session: Session) async throws {
        try await client.query("""
            INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at)
            VALUES (\(session.idHash.bytea), \(session.userID), \(session.createdAt), \(session.lastSeenAt))
            """, logger: logger)
    }

    public func session(idHash: [UInt8]) async throws -> Session? {
        let rows = try await client.query("""
            SELECT user_id, created_at, last_seen_at FROM sessions WHERE id_hash = \(idHash.bytea)
            """, logger: logger)
        for try await (userID, created, lastSeen) in rows.decode((UUID, Date, Date).self) {
            return Session(idHash: idHash, userID: userID, createdAt: created, lastSeenAt: lastSeen)
        }
        return nil
    }

    public func touchSession(idHash: [UInt8], at time: Date) async throws -> Bool {
        try await returnedRowCount("""
            UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, \(time)) WHERE id_hash = \(idHash.bytea) RETURNING 1
            """) > 0
    }

    public func deleteSession(idHash: [UInt8]) async throws -> Bool {
        try await returnedRowCount("DELETE FROM sessions WHERE id_hash = \(idHash.bytea) RETURNING 1") > 0
    }

    public func deleteSessions(userID: UUID) async throws -> Int {
        try await returnedRowCount("DELETE FROM sessions WHERE user_id = \(userID) RETURNING 1")
    }

    public func deleteExpiredSessions(policy: SessionPolicy, now: Date) async throws -> Int {
        // Same rule as SessionPolicy.isExpired: ended once idle too long or alive too long.
        let idleCutoff = now.addingTimeInterval(-policy.idleTimeout)
        let absoluteCutoff = now.addingTimeInterval(-policy.absoluteLifetime)
        return try await returnedRowCount("""
            DELETE FROM sessions WHERE last_seen_at <= \(idleCutoff) OR created_at <= \(absoluteCutoff) RETURNING 1
            """)
    }
}
