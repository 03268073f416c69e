import Foundation

/// Runs a command-line program to completion and captures what it printed.
///
/// Used by the embedded PostgreSQL launcher for `initdb`, `pg_ctl` and friends. The calls block a
/// thread while the child runs, so async callers go through `EmbeddedPostgres`, which moves the
/// whole launch off the cooperative pool.
struct ProcessRunner: Sendable {
    /// The outcome of one finished program.
    struct Result: Sendable {
        var exitCode: Int32
        var output: String

        var succeeded: Bool { exitCode == 0 }
    }

    /// Failure to start a program, or a program that ended with a non-zero status.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var exitCode: Int32?
        var output: String

        var description: String {
            let status = exitCode.map { "exited with status \($0)" } ?? "could not be started"
            let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? "\(command) \(status)" : "\(command) \(status): \(trimmed)"
        }
    }

    /// When set, programs run as this system user via `runuser -u USER --` (the caller is root).
    var runAsUser: String?

    /// Runs `executable` with `arguments`, combining stdout and stderr; never throws for a non-zero exit.
    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        if let user = runAsUser {
            process.executableURL = URL(fileURLWithPath: Self.runuserPath)
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        // Localised messages would make errors harder to search for; the C locale is always present.
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // The unprivileged user may not be allowed into the caller's working directory.
        process.currentDirectoryURL = URL(fileURLWithPath: "/")

        // A temporary file instead of a pipe: `pg_ctl start` leaves a daemon behind, and a pipe
        // inherited by it would never reach end-of-file.
        let outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("skein-process-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw Failure(command: commandLine(executable, arguments), exitCode: nil, output: "cannot create \(outputURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let handle = try FileHandle(forWritingTo: outputURL)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice

        do {
            try process.run()
        } catch {
            throw Failure(command: commandLine(executable, arguments), exitCode: nil, output: "\(error)")
        }
        process.waitUntilExit()
        let data = (try? Data(contentsOf: outputURL)) ?? Data()
        return Result(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Like `run`, but a non-zero exit status throws a `Failure` carrying the program's output.
    @discardableResult
    func runChecked(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let result = try run(executable, arguments, environment: environment)
        guard result.succeeded else {
            throw Failure(command: commandLine(executable, arguments), exitCode: result.exitCode, output: result.output)
        }
        return result
    }

    private func commandLine(_ executable: String, _ arguments: [String]) -> String {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        return ([name] + arguments).joined(separator: " ")
    }

    static var runuserPath: String {
        for candidate in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/sbin/runuser"
    }
}
