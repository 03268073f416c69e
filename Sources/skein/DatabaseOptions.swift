import ArgumentParser

/// Where the database is: an external URL, or the embedded PostgreSQL in the data folder.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Folder for the embedded database and local state (SKEIN_DATA_DIR).")
    var dataDirectory: String = Environment.string("SKEIN_DATA_DIR") ?? ".skein"

    @Option(name: .customLong("database-url"), help: "postgres://user:pass@host:port/db of an external PostgreSQL; the embedded one is used when absent (SKEIN_DATABASE_URL).")
    var databaseURL: String? = Environment.string("SKEIN_DATABASE_URL")

    @Option(name: .customLong("resources-dir"), help: "Folder holding Templates/, Public/ and Migrations/; found automatically (SKEIN_RESOURCES).")
    var resourcesDirectory: String? = nil

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (SKEIN_LOG_LEVEL).")
    var logLevel: String = Environment.string("SKEIN_LOG_LEVEL") ?? "info"
}
