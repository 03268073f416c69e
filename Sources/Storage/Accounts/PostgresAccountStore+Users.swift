import Accounts
import Foundation
import PostgresNIO

extension PostgresAccountStore {
    public func createUser(_ user: User) async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO users (id, name, display_name, password_hash, is_disabled, totp_secret, created_at)
                    VALUES (\(user.id), \(user.name), \(user.displayName), \(user.passwordHash), \(user.isDisabled),
                            \(user.totpSecret), \(user.createdAt))
                    """, logger: logger)
                let roleIDs = Array(user.roleIDs)
                try await connection.query("""
                    INSERT INTO user_roles (user_id, role_id) SELECT \(user.id), unnest(\(roleIDs)::uuid[])
                    """, logger: logger)
            }
        } catch let error where Self.isUniqueViolation(error) {
            throw AccountStoreError.nameTaken(user.name)
        } catch let error where Self.isForeignKeyViolation(error) {
            throw AccountStoreError.unknownRole
        }
    }

    public func user(id: UUID) async throws -> User? {
        try await fetchUsers("\(unescaped: Self.userColumns) WHERE u.id = \(id) GROUP BY u.id").first
    }

    public func user(named name: String) async throws -> User? {
        try await fetchUsers("\(unescaped: Self.userColumns) WHERE lower(u.name) = lower(\(name)) GROUP BY u.id").first
    }

    public func users() async throws -> [User] {
        try await fetchUsers("\(unescaped: Self.userColumns) GROUP BY u.id ORDER BY lower(u.name)")
    }

    public func userCount() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM users", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    public func setDisplayName(_ displayName: String, userID: UUID) async throws -> Bool {
        try await returnedRowCount("UPDATE users SET display_name = \(displayName) WHERE id = \(userID) RETURNING 1") > 0
    }

    public func setPasswordHash(_ hash: String, userID: UUID) async throws -> Bool {
        try await returnedRowCount("UPDATE users SET password_hash = \(hash) WHERE id = \(userID) RETURNING 1") > 0
    }

    public func setDisabled(_ disabled: Bool, userID: UUID) async throws -> Bool {
        try await returnedRowCount("UPDATE users SET is_disabled = \(disabled) WHERE id = \(userID) RETURNING 1") > 0
    }

    public func setRoles(_ roleIDs: Set<UUID>, userID: UUID) async throws -> Bool {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                // Lock the user row so concurrent role changes apply one after the other.
                let found = try await connection.query("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE", logger: logger)
                var exists = false
                for try await _ in found { exists = true }
                guard exists else { return false }
                try await connection.query("DELETE FROM user_roles WHERE user_id = \(userID)", logger: logger)
                let ids = Array(roleIDs)
                try await connection.query("""
                    INSERT INTO user_roles (user_id, role_id) SELECT \(userID), unnest(\(ids)::uuid[])
                    """, logger: logger)
                return true
            }
        } catch let error where Self.isForeignKeyViolation(error) {
            throw AccountStoreError.unknownRole
        }
    }

    public func setTOTPSecret(_ secret: String?, userID: UUID) async throws -> Bool {
        try await returnedRowCount("""
            UPDATE users SET totp_secret = \(secret), totp_last_step = NULL WHERE id = \(userID) RETURNING 1
            """) > 0
    }

    public func useTOTPStep(_ step: Int64, userID: UUID) async throws -> Bool {
        try await returnedRowCount("""
            UPDATE users SET totp_last_step = \(step)
            WHERE id = \(userID) AND (totp_last_step IS NULL OR totp_last_step < \(step)) RETURNING 1
            """) > 0
    }

    private static let userColumns = """
        SELECT u.id, u.name, u.display_name, u.password_hash, u.is_disabled, u.totp_secret, u.created_at,
               COALESCE(array_agg(ur.role_id) FILTER (WHERE ur.role_id IS NOT NULL), '{}')
        FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id
        """

    private func fetchUsers(_ query: PostgresQuery) async throws -> [User] {
        let rows = try await client.query(query, logger: logger)
        var users: [User] = []
        for try await (id, name, displayName, hash, disabled, totp, created, roleIDs)
            in rows.decode((UUID, String, String, String, Bool, String?, Date, [UUID]).self) {
            users.append(User(
                id: id, name: name, displayName: displayName, passwordHash: hash, roleIDs: Set(roleIDs),
                isDisabled: disabled, createdAt: created, totpSecret: totp
            ))
        }
        return users
    }
}
