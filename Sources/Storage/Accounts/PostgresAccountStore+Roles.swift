import Accounts
import Foundation
import PostgresNIO

extension PostgresAccountStore {
    public func seedBuiltInRoles() async throws {
        try await client.withTransaction(logger: logger) { connection in
            for role in Role.builtIns {
                let permissions = role.permissions.map(\.rawValue).sorted()
                try await connection.query("""
                    INSERT INTO roles (id, name, permissions, service_patterns, is_built_in)
                    VALUES (\(role.id), \(role.name), \(permissions), \(role.serviceScope.patterns), true)
                    ON CONFLICT (id) DO UPDATE SET
                        name = EXCLUDED.name, permissions = EXCLUDED.permissions,
                        service_patterns = EXCLUDED.service_patterns, is_built_in = true
                    """, logger: logger)
            }
        }
    }

    public func roles() async throws -> [Role] {
        try await fetchRoles("""
            SELECT id, name, permissions, service_patterns, is_built_in FROM roles
            ORDER BY is_built_in DESC, CASE WHEN is_built_in THEN id END, lower(name)
            """)
    }

    public func role(id: UUID) async throws -> Role? {
        try await fetchRoles("SELECT id, name, permissions, service_patterns, is_built_in FROM roles WHERE id = \(id)").first
    }

    public func createRole(_ role: Role) async throws {
        if role.isBuiltIn { throw AccountStoreError.builtInRole(role.name) }
        let permissions = role.permissions.map(\.rawValue).sorted()
        do {
            try await client.query("""
                INSERT INTO roles (id, name, permissions, service_patterns, is_built_in)
                VALUES (\(role.id), \(role.name), \(permissions), \(role.serviceScope.patterns), false)
                """, logger: logger)
        } catch let error where Self.isUniqueViolation(error) {
            throw AccountStoreError.nameTaken(role.name)
        }
    }

    public func updateRole(_ role: Role) async throws -> Bool {
        try await refuseBuiltIn(role.id)
        let permissions = role.permissions.map(\.rawValue).sorted()
        do {
            return try await returnedRowCount("""
                UPDATE roles SET name = \(role.name), permissions = \(permissions), service_patterns = \(role.serviceScope.patterns)
                WHERE id = \(role.id) AND NOT is_built_in RETURNING 1
                """) > 0
        } catch let error where Self.isUniqueViolation(error) {
            throw AccountStoreError.nameTaken(role.name)
        }
    }

    public func deleteRole(id: UUID) async throws -> Bool {
        try await refuseBuiltIn(id)
        return try await returnedRowCount("DELETE FROM roles WHERE id = \(id) AND NOT is_built_in RETURNING 1") > 0
    }

    private func refuseBuiltIn(_ id: UUID) async throws {
        if let builtIn = Role.builtIns.first(where: { $0.id == id }) {
            throw AccountStoreError.builtInRole(builtIn.name)
        }
    }

    private func fetchRoles(_ query: PostgresQuery) async throws -> [Role] {
        let rows = try await client.query(query, logger: logger)
        var roles: [Role] = []
        for try await (id, name, permissionNames, patterns, isBuiltIn) in rows.decode((UUID, String, [String], [String]?, Bool).self) {
            // A permission this version does not know (written by a newer Skein) grants nothing.
            let permissions = Set(permissionNames.compactMap(Permission.init(rawValue:)))
            roles.append(Role(id: id, name: name, permissions: permissions, serviceScope: ServiceScope(patterns: patterns), isBuiltIn: isBuiltIn))
        }
        return roles
    }
}
