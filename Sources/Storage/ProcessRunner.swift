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

    private struct SpawnError: Error {
        var errorNumber: Int32
    }

    /// When set, programs run as this system user via `runuser -u USER --` (the caller is root).
    var runAsUser: String?

    /// Runs `executable` with `arguments`, combining stdout and stderr; never throws for a non-zero exit.
    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let argv: [String]
        let program: String
        if let user = runAsUser {
            program = Self.runuserPath
            argv = [program, "-u", user, "--", executable] + arguments
        } else {
            program = executable
            argv = [executable] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        // Localised messages would make errors harder to search for; the C locale is always present.
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        for (key, value) in environment { env[key] = value }

        // Output goes to a temporary file, not a pipe: `pg_ctl start` leaves a daemon behind, and a
        // pipe inherited by it would never reach end-of-file.
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("skein-process-\(UUID().uuidString).log").path
        let outputFD = open(outputPath, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0o600)
        guard outputFD >= 0 else {
            throw Failure(command: commandLine(executable, arguments), exitCode: nil, output: "cannot create \(outputPath)")
        }
        defer {
            close(outputFD)
            unlink(outputPath)
        }

        let status: Int32
        do {
            status = try Self.spawnAndWait(program, argv: argv, environment: env.map { "\($0.key)=\($0.value)" }, outputFD: outputFD)
        } catch let error as SpawnError {
            throw Failure(command: commandLine(executable, arguments), exitCode: nil, output: String(cString: strerror(error.errorNumber)))
        }
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Result(exitCode: status, output: String(decoding: data, as: UTF8.self))
    }

    /// posix_spawn + waitpid. Foundation's `Process` is not used: on Linux its `waitUntilExit`
    /// never returns once the child has left a daemon behind (`pg_ctl start`).
    private static func spawnAndWait(_ program: String, argv: [String], environment: [String], outputFD: Int32) throws -> Int32 {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        #if os(Linux)
        // The server must not inherit any of our descriptors (sockets, the event loop's epoll), and
        // the unprivileged server user may not be allowed into our working directory. Both calls
        // are glibc extensions that Swift's Glibc module does not expose, hence dlsym.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") {
            typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, "/")
        }
        #endif

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid = pid_t()
        let spawnResult = posix_spawn(&pid, program, &actions, nil, cArguments, cEnvironment)
        guard spawnResult == 0 else {
            throw SpawnError(errorNumber: spawnResult)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw SpawnError(errorNumber: errno) }
        }
        // WIFEXITED / WEXITSTATUS, spelled out (they are macros).
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
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
