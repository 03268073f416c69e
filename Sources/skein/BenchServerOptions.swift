import ArgumentParser

/// Where the ingest benchmark's server keeps its data, and where the resources are.
struct BenchServerOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data folder for the server under test; a fresh temporary one (removed afterwards) when absent.")
    var dataDirectory: String?

    @Flag(name: .customLong("keep-data"), help: "Keep the temporary data folder (and the raw-COPY database).")
    var keepData = false

    @Option(name: .customLong("resources-dir"), help: "Folder holding Templates/, Public/ and Migrations/; found automatically.")
    var resourcesDirectory: String?
}
