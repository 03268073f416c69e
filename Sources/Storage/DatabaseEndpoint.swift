import Foundation
import PostgresNIO

/// Where Skein's PostgreSQL is: a server given by URL, or the embedded server's private socket.
public struct DatabaseEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// How to reach the server.
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// Full path of the socket file (`<dir>/.s.PGSQL.<port>`).
        case unixSocket(path: String)
    }

    /// TLS as asked for by `sslmode`.
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        case prefer
        case require
    }

    public var address: Address
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    /// An endpoint for a unix socket file, without TLS (the embedded server's way).
    public init(unixSocketPath: String, username: String, password: String? = nil, database: String) {
        self.address = .unixSocket(path: unixSocketPath)
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = .disable
    }

    /// Parses `postgres://user:pass@host:port/db?sslmode=disable` (also `postgresql://`).
    ///
    /// `sslmode` may be `disable`, `allow`/`prefer` (the default) or `require`/`verify-ca`/
    /// `verify-full` (all three verify the certificate). A `host=/dir` query item, as libpq
    /// accepts, selects the unix socket `<dir>/.s.PGSQL.<port>`.
    public init(url: String) throws {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw DatabaseEndpointError(message: "the database URL must look like postgres://user:password@host:5432/database")
        }
        let items = components.queryItems ?? []
        func item(_ name: String) -> String? { items.first { $0.name == name }?.value }

        let port: Int
        if let explicit = components.port {
            port = explicit
        } else if let fromQuery = item("port") {
            guard let parsed = Int(fromQuery) else {
                throw DatabaseEndpointError(message: "the database URL has an invalid port '\(fromQuery)'")
            }
            port = parsed
        } else {
            port = 5432
        }
        guard (1...65535).contains(port) else {
            throw DatabaseEndpointError(message: "the database URL has an invalid port \(port)")
        }

        let user = components.user.flatMap { $0.removingPercentEncoding } ?? item("user")
        guard let user, !user.isEmpty else {
            throw DatabaseEndpointError(message: "the database URL must name a user (postgres://USER@host/database)")
        }
        self.username = user
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? item("password")

        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let databaseName = path.removingPercentEncoding ?? path
        self.database = databaseName.isEmpty ? (item("dbname") ?? user) : databaseName

        if let socketDirectory = item("host"), socketDirectory.hasPrefix("/") {
            self.address = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else {
            var host = components.host ?? item("host") ?? ""
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else {
                throw DatabaseEndpointError(message: "the database URL must name a host (postgres://user@HOST:5432/database)")
            }
            self.address = .tcp(host: host, port: port)
        }

        switch item("sslmode")?.lowercased() {
        case nil, "prefer", "allow":
            self.tlsMode = .prefer
        case "disable":
            self.tlsMode = .disable
        case "require", "verify-ca", "verify-full":
            self.tlsMode = .require
        case let other?:
            throw DatabaseEndpointError(message: "the database URL has an unknown sslmode '\(other)' (use disable, prefer or require)")
        }
        if case .unixSocket = address { self.tlsMode = .disable }
    }

    /// The postgres-nio configuration for a `PostgresClient` talking to this endpoint.
    public func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch address {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS
            switch tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        return configuration
    }

    /// The same server, another database (the test harness uses a fresh database per test).
    public func with(database: String) -> DatabaseEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    /// A loggable form: never shows the password.
    public var description: String {
        switch address {
        case .unixSocket(let path):
            return "unix socket \(path) (user \(username), database \(database))"
        case .tcp(let host, let port):
            return "postgres://\(username)@\(host):\(port)/\(database)"
        }
    }
}

/// A database URL that could not be understood.
public struct DatabaseEndpointError: Error, CustomStringConvertible, Equatable {
    public var message: String

    public var description: String { message }
}
