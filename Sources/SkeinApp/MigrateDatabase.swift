import Logging
import Storage

/// `skein migrate`: opens the database the same way `serve` does, applies pending migrations,
/// and closes it again (an embedded server started only for this is stopped; one that `serve`
/// is running is left running).
public func migrateDatabase(url: String?, dataDirectory: String, resourcesDirectory: String?, logger: Logger) async throws -> [String] {
    let resources = try ResourceLocator(explicit: resourcesDirectory)
    let database = try await Database.open(url: url, dataDirectory: dataDirectory, logger: logger)
    do {
        let applied = try await database.migrate(directory: resources.migrations)
        await database.close()
        return applied
    } catch {
        await database.close()
        throw error
    }
}
