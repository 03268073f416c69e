import Foundation

/// The installed PostgreSQL server programs the embedded launcher runs.
struct PostgresBinaries: Sendable, Equatable {
    var directory: String

    var initdb: String { "\(directory)/initdb" }
    var pgCtl: String { "\(directory)/pg_ctl" }

    static let requiredPrograms = ["initdb", "pg_ctl", "postgres"]

    /// Finds the server programs: `SKEIN_POSTGRES_BIN` (a bin folder), else `pg_config --bindir`
    /// when it holds `initdb`, else the highest `/usr/lib/postgresql/*/bin`, else the usual
    /// Homebrew folders.
    static func locate(environment: [String: String]) throws -> PostgresBinaries {
        if let configured = environment["SKEIN_POSTGRES_BIN"], !configured.isEmpty {
            if isComplete(configured) { return PostgresBinaries(directory: configured) }
            throw EmbeddedPostgresError(message: """
                SKEIN_POSTGRES_BIN is set to \(configured), but that folder does not hold \
                \(requiredPrograms.joined(separator: ", ")). \(installAdvice)
                """)
        }
        if let fromPgConfig = pgConfigBinDirectory(environment: environment), isComplete(fromPgConfig) {
            return PostgresBinaries(directory: fromPgConfig)
        }
        for candidate in debianBinDirectories() + homebrewBinDirectories() where isComplete(candidate) {
            return PostgresBinaries(directory: candidate)
        }
        throw EmbeddedPostgresError(message: "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found. \(installAdvice)")
    }

    static let installAdvice = """
        Install PostgreSQL 15 or newer (Debian/Ubuntu: `apt-get install postgresql`; macOS: \
        `brew install postgresql@15`), or set SKEIN_POSTGRES_BIN to its bin folder, or pass \
        --database-url to use an existing server.
        """

    private static func isComplete(_ directory: String) -> Bool {
        requiredPrograms.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
    }

    private static func pgConfigBinDirectory(environment: [String: String]) -> String? {
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let pgConfig = searchPath.split(separator: ":")
            .map { "\($0)/pg_config" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let pgConfig,
              let result = try? ProcessRunner().run(pgConfig, ["--bindir"]),
              result.succeeded
        else { return nil }
        let directory = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return directory.isEmpty ? nil : directory
    }

    /// `/usr/lib/postgresql/<version>/bin`, highest version first.
    private static func debianBinDirectories() -> [String] {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions
            .sorted { versionKey($0).lexicographicallyPrecedes(versionKey($1)) }
            .reversed()
            .map { "\(root)/\($0)/bin" }
    }

    private static func homebrewBinDirectories() -> [String] {
        var result: [String] = []
        for prefix in ["/opt/homebrew/opt", "/usr/local/opt"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: prefix)) ?? []
            let postgres = names.filter { $0.hasPrefix("postgresql") }
                .sorted { versionKey($0).lexicographicallyPrecedes(versionKey($1)) }
                .reversed()
            result += postgres.map { "\(prefix)/\($0)/bin" }
        }
        return result
    }

    /// Numeric parts of a folder name ("15", "postgresql@16", "9.6") for ordering versions.
    private static func versionKey(_ name: String) -> [Int] {
        name.split { !$0.isNumber }.compactMap { Int($0) }
    }
}
