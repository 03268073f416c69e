import ArgumentParser
import Foundation
import SkeinApp

/// `skein user create [--admin] [--role NAME]... NAME`: create a user; the password is read from
/// the terminal without echo (twice) when stdin is one, otherwise as one line from stdin.
struct UserCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user. The password is asked for on the terminal, or read as one line from standard input.")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .customLong("admin"), help: "Give the user the admin role.")
    var admin = false

    @Option(name: .customLong("role"), help: "A role to give the user (repeatable); viewer when neither this nor --admin is given.")
    var roles: [String] = []

    @Option(name: .customLong("display-name"), help: "The name shown on pages; the user name when absent.")
    var displayName: String?

    @Argument(help: "The sign-in name: letters A to Z, digits and . _ - @.")
    var name: String

    func run() async throws {
        let logger = makeLogger(level: database.logLevel == "info" ? "warning" : database.logLevel)
        var roleNames = roles
        if admin { roleNames.append("admin") }
        if roleNames.isEmpty { roleNames = ["viewer"] }
        let password: String
        do {
            password = try PasswordInput.read(prompt: "Password for \(name): ")
        } catch {
            throw Self.refusal("\(error)")
        }
        do {
            let user = try await createUser(
                url: database.databaseURL, dataDirectory: database.dataDirectory, resourcesDirectory: database.resourcesDirectory,
                name: name, displayName: displayName, password: password, roleNames: roleNames, logger: logger)
            print("Created user \(user.name) with role(s) \(roleNames.joined(separator: ", ")).")
        } catch let error as CreateUserError {
            throw Self.refusal(error.description)
        }
    }

    /// Says why on standard error and exits with status 1 (no usage text: the input was the problem).
    private static func refusal(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return ExitCode.failure
    }
}
