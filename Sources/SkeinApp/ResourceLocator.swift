import Foundation

/// Finds the folder that holds `Templates/`, `Public/` and `Migrations/`.
///
/// Skein runs from its source checkout (`swift run`, `.build/debug/skein`), so the folder is
/// searched upwards from the executable and from the working directory; `SKEIN_RESOURCES` or
/// `--resources-dir` override the search.
public struct ResourceLocator: Sendable {
    public let root: String

    public init(explicit: String? = nil) throws {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SKEIN_RESOURCES"] {
            candidates.append(URL(fileURLWithPath: fromEnvironment))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        candidates += Self.ancestors(of: executable.deletingLastPathComponent())
        candidates += Self.ancestors(of: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        guard let found = candidates.first(where: Self.holdsResources) else {
            throw ResourceLocatorError()
        }
        root = found.standardizedFileURL.path
    }

    public var templates: String { root + "/Templates" }
    public var publicFiles: String { root + "/Public" }
    public var migrations: String { root + "/Migrations" }

    private static func ancestors(of url: URL) -> [URL] {
        var result: [URL] = []
        var current = url.standardizedFileURL
        for _ in 0..<8 {
            result.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return result
    }

    private static func holdsResources(_ url: URL) -> Bool {
        ["Templates", "Public", "Migrations"].allSatisfy {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }
}

/// Raised when Skein cannot find its templates, static files and migrations.
public struct ResourceLocatorError: Error, CustomStringConvertible {
    public var description: String {
        "Skein could not find its Templates/, Public/ and Migrations/ folders. Run it from the Skein "
            + "checkout (swift run skein ...) or point SKEIN_RESOURCES (or --resources-dir) at that folder."
    }
}
