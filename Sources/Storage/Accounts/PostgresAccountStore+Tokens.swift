import Accounts
import Foundation
import PostgresNIO

extension PostgresAccountStore {
    public func createAPIToken(_ token: APIToken, secretHash: [UInt8]) async throws {
        do {
            try await client.query("""
                INSERT INTO api_tokens (id, secret_hash, name, kind, owner_user_id, service_patterns,
                                        created_at, expires_at, last_used_at, revoked_at)
                VALUES (\(token.id), \(secretHash.bytea), \(token.name), \(token.kind.rawValue), \(token.ownerUserID),
                        \(token.scope.patterns), \(token.createdAt), \(token.expiresAt), \(token.lastUsedAt), \(token.revokedAt))
                """, logger: logger)
        } catch let error where Self.isForeignKeyViolation(error) {
            throw AccountStoreError.corruptRow("the token's owner does not exist")
        }
    }

    public func apiToken(secretHash: [UInt8]) async throws -> APIToken? {
        try await fetchTokens("\(unescaped: Self.tokenColumns) WHERE secret_hash = \(secretHash.bytea)").first
    }

    public func apiToken(id: UUID) async throws -> APIToken? {
        try await fetchTokens("\(unescaped: Self.tokenColumns) WHERE id = \(id)").first
    }

    public func touchAPIToken(id: UUID, at time: Date) async throws -> Bool {
        try await returnedRowCount("""
            UPDATE api_tokens SET last_used_at = GREATEST(last_used_at, \(time)) WHERE id = \(id) RETURNING 1
            """) > 0
    }

    public func revokeAPIToken(id: UUID, at time: Date) async throws -> Bool {
        try await returnedRowCount("""
            UPDATE api_tokens SET revoked_at = \(time) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1
            """) > 0
    }

    public func apiTokens(ownerUserID: UUID?) async throws -> [APIToken] {
        if let ownerUserID {
            return try await fetchTokens("\(unescaped: Self.tokenColumns) WHERE owner_user_id = \(ownerUserID) ORDER BY created_at, id")
        }
        return try await fetchTokens("\(unescaped: Self.tokenColumns) ORDER BY created_at, id")
    }

    public func createSetupToken(secretHash: [UInt8], createdAt: Date, expiresAt: Date) async throws {
        try await client.query("""
            INSERT INTO setup_tokens (secret_hash, created_at, expires_at) VALUES (\(secretHash.bytea), \(createdAt), \(expiresAt))
            """, logger: logger)
    }

    public func consumeSetupToken(secretHash: [UInt8], at time: Date) async throws -> Bool {
        // DELETE … RETURNING is atomic: of two concurrent uses, exactly one gets the row.
        // Expired rows are removed too, so a stale link never lingers.
        try await client.query("DELETE FROM setup_tokens WHERE expires_at <= \(time)", logger: logger)
        return try await returnedRowCount("""
            DELETE FROM setup_tokens WHERE secret_hash = \(secretHash.bytea) AND expires_at > \(time) RETURNING 1
            """) > 0
    }

    private static let tokenColumns = """
        SELECT id, name, kind, owner_user_id, service_patterns, created_at, expires_at, last_used_at, revoked_at
        FROM api_tokens
        """

    private func fetchTokens(_ query: PostgresQuery) async throws -> [APIToken] {
        let rows = try await client.query(query, logger: logger)
        var tokens: [APIToken] = []
        for try await (id, name, kindName, owner, patterns, created, expires, lastUsed, revoked)
            in rows.decode((UUID, String, String, UUID, [String]?, Date, Date?, Date?, Date?).self) {
            guard let kind = APIToken.Kind(rawValue: kindName) else {
                throw AccountStoreError.corruptRow("API token \(id) has the unknown kind \(kindName)")
            }
            tokens.append(APIToken(
                id: id, name: name, kind: kind, ownerUserID: owner, scope: ServiceScope(patterns: patterns),
                createdAt: created, expiresAt: expires, lastUsedAt: lastUsed, revokedAt: revoked
            ))
        }
        return tokens
    }
}
