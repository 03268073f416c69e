import Crypto
import Foundation

/// Where the embedded cluster's files live for one data folder, and who runs the server.
struct EmbeddedPostgresLayout: Sendable, Equatable {
    /// The data folder as given, made absolute.
    var dataDirectory: String
    /// Holds the cluster folder, its log and the start lock: the data folder, or a folder under
    /// /var/tmp when the unprivileged server user cannot reach the data folder.
    var clusterRoot: String
    /// The PostgreSQL data folder (`PGDATA`).
    var clusterDirectory: String { "\(clusterRoot)/postgres" }
    var logFile: String { "\(clusterRoot)/postgres.log" }
    var lockFile: String { "\(clusterRoot)/postgres.lock" }
    /// The folder for the server's unix socket.
    var socketDirectory: String
    /// The system user that runs the server programs; nil when we are not root and run them ourselves.
    var serverUser: String?

    /// Socket paths are limited to about 107 bytes; keep well clear of it.
    static let maximumSocketPathLength = 90
    static let socketFileName = ".s.PGSQL.5432"

    /// A stable 12-hex-digit name for an absolute path.
    static func shortHash(of path: String) -> String {
        let digest = SHA256.hash(data: Data(path.utf8))
        return digest.prefix(6).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func absolutePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded)
        let standardized = url.standardizedFileURL.path
        return standardized.count > 1 && standardized.hasSuffix("/") ? String(standardized.dropLast()) : standardized
    }

    /// Works out the layout; `serverUserCanReach` answers whether the server user can traverse a folder.
    static func make(
        dataDirectory: String,
        serverUser: String?,
        serverUserCanReach: (String) -> Bool
    ) -> (layout: EmbeddedPostgresLayout, relocated: Bool) {
        let absolute = absolutePath(dataDirectory)
        let hash = shortHash(of: absolute)
        var clusterRoot = absolute
        var relocated = false
        if serverUser != nil, !serverUserCanReach(absolute) {
            clusterRoot = "/var/tmp/skein-postgres-\(hash)"
            relocated = true
        }
        let preferredSocketDirectory = "\(relocated ? clusterRoot : absolute)/run"
        let socketDirectory: String
        if (preferredSocketDirectory + "/" + socketFileName).utf8.count <= maximumSocketPathLength {
            socketDirectory = preferredSocketDirectory
        } else {
            socketDirectory = "/tmp/skein-\(hash)"
        }
        let layout = EmbeddedPostgresLayout(
            dataDirectory: absolute,
            clusterRoot: clusterRoot,
            socketDirectory: socketDirectory,
            serverUser: serverUser
        )
        return (layout, relocated)
    }
}
