import Accounts
import Foundation
import Logging
import Storage

/// Why `skein user create` refused to create a user; the description is the message to print.
public enum CreateUserError: Error, CustomStringConvertible, Equatable {
    case invalidName(String)
    case weakPassword(String)
    case unknownRole(String)
    case nameTaken(String)

    public var description: String {
        switch self {
        case .invalidName(let problem): return problem
        case .weakPassword(let problem): return problem
        case .unknownRole(let name): return "There is no role named \u{201C}\(name)\u{201D}."
        case .nameTaken(let name): return "A user named \u{201C}\(name)\u{201D} already exists."
        }
    }
}

/// `skein user create`: opens the database as `serve` does, applies pending migrations, seeds the
/// built-in roles and creates a user holding `roleNames` (compared without regard to case),
/// after checking the name with `User.problem(withName:)` and the password with
/// `PasswordPolicy.standard`. Audited as `user.created` by `cli`. Returns the new user.
public func createUser(
    url: String?, dataDirectory: String, resourcesDirectory: String?,
    name: String, displayName: String?, password: String, roleNames: [String],
    passwordHashCost: UInt8 = PasswordHasher.defaultCost, logger: Logger
) async throws -> User {
    if let problem = User.problem(withName: name) { throw CreateUserError.invalidName(problem) }
    let shownName = (displayName?.isEmpty ?? true) ? name : displayName ?? name
    if let problem = PasswordPolicy.standard.problem(with: password, userName: name, displayName: shownName) {
        throw CreateUserError.weakPassword(problem.description)
    }
    let resources = try ResourceLocator(explicit: resourcesDirectory)
    let database = try await Database.open(url: url, dataDirectory: dataDirectory, logger: logger)
    do {
        _ = try await database.migrate(directory: resources.migrations)
        let store = PostgresAccountStore(client: database.client, logger: logger)
        try await store.seedBuiltInRoles()
        let roles = try await store.roles()
        var roleIDs = Set<UUID>()
        for roleName in roleNames {
            guard let role = roles.first(where: { $0.name.lowercased() == roleName.lowercased() }) else {
                throw CreateUserError.unknownRole(roleName)
            }
            roleIDs.insert(role.id)
        }
        let hash = await PasswordHasher(cost: passwordHashCost).hash(password)
        let user = User(name: name, displayName: shownName, passwordHash: hash, roleIDs: roleIDs)
        do {
            try await store.createUser(user)
        } catch AccountStoreError.nameTaken {
            throw CreateUserError.nameTaken(name)
        }
        let held = roles.filter { roleIDs.contains($0.id) }.map { "\"\($0.name)\"" }.joined(separator: ",")
        try await store.appendAudit(
            AuditEvent(actorUserID: nil, actorName: "cli", action: .userCreated, target: user.name, after: "{\"roles\":[\(held)]}"))
        await database.close()
        return user
    } catch {
        await database.close()
        throw error
    }
}
