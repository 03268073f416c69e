import Accounts
import Foundation
import Storage
import Testing
import Web

/// `skein user create` as a person runs it: the built binary, the password on stdin, against the
/// data folder of a running server (the CLI joins its embedded PostgreSQL).
@Suite struct UserCreateEndToEndTests {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The `skein` binary `swift build --build-tests` made (`SKEIN_BINARY` overrides).
    static var binary: String {
        ProcessInfo.processInfo.environment["SKEIN_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(packageRoot)/.build/debug/skein"
    }

    /// Runs `skein user create <arguments>` with `stdin`; returns the exit status and standard error.
    static func userCreate(_ arguments: [String], dataDirectory: String, stdin: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["user", "create", "--data-dir", dataDirectory, "--resources-dir", packageRoot] + arguments
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errorText)
    }

    @Test func aUserCreatedOnTheCommandLineSignsInWithTheirRole() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the skein binary first (swift build)")
        try await withRunningSkein { skein in
            let password = "a long and unusual passphrase"
            let created = try Self.userCreate(["--role", "viewer", "vera"], dataDirectory: skein.dataDirectory, stdin: password + "\n")
            #expect(created.status == 0, "\(created.stderr)")

            let store = PostgresAccountStore(client: skein.server.database.client, logger: .init(label: "e2e"))
            let signIn = SignIn(store: store, hasher: PasswordHasher(cost: 4), throttle: LoginThrottle())
            guard case .succeeded(_, _, let secret) = try await signIn.attempt(name: "vera", password: password, address: "e2e") else {
                Issue.record("vera could not sign in with the password given on stdin")
                return
            }
            #expect(try await skein.get("/search", cookie: "skein_session=\(secret)").status == 200)
            #expect(try await skein.get("/admin/ingest", cookie: "skein_session=\(secret)").status == 403)
        }
    }

    @Test func weakPasswordsTakenNamesAndUnknownRolesAreRefused() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the skein binary first (swift build)")
        try await withRunningSkein { skein in
            let weak = try Self.userCreate(["vera"], dataDirectory: skein.dataDirectory, stdin: "password\n")
            #expect(weak.status == 1)
            #expect(weak.stderr.contains("at least 12 characters"))
            let taken = try Self.userCreate(
                ["--admin", RunningSkein.adminName.uppercased()], dataDirectory: skein.dataDirectory, stdin: "a long and unusual passphrase\n")
            #expect(taken.status == 1)
            #expect(taken.stderr.contains("already exists"))
            let role = try Self.userCreate(["--role", "nosuch", "carl"], dataDirectory: skein.dataDirectory, stdin: "a long and unusual passphrase\n")
            #expect(role.status == 1)
            #expect(role.stderr.contains("no role named"))
            let store = PostgresAccountStore(client: skein.server.database.client, logger: .init(label: "e2e"))
            #expect(try await store.userCount() == 1)
        }
    }

    @Test func anAnonymousVisitorOfARunningServerIsSentToLogin() async throws {
        try await withRunningSkein { skein in
            let login = try await skein.get("/search", cookie: "")
            #expect(login.status == 200)
            #expect(String(decoding: login.body, as: UTF8.self).contains("Sign in to Skein"))
            #expect(try await skein.get("/api/services", cookie: "").status == 401)
            #expect(try await skein.get("/api/services").status == 200)
        }
    }
}
