import ArgumentParser

/// The `skein` command line: a few subcommands, each a thin layer over SkeinApp.
@main
struct Skein: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skein",
        abstract: "Skein: distributed tracing on PostgreSQL (OTLP and Zipkin in, search and waterfalls out).",
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, BenchCommand.self],
        defaultSubcommand: Serve.self
    )
}
