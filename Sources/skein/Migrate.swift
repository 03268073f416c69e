import ArgumentParser
import SkeinApp

/// `skein migrate`: apply pending schema migrations and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations (safe while serve runs on the same data folder).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = makeLogger(level: database.logLevel)
        let applied = try await migrateDatabase(
            url: database.databaseURL, dataDirectory: database.dataDirectory,
            resourcesDirectory: database.resourcesDirectory, logger: logger)
        logger.notice(applied.isEmpty ? "database schema is up to date" : "applied \(applied.count) migration(s): \(applied.joined(separator: ", "))")
    }
}
