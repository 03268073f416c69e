import Foundation

/// The data folder a benchmark runs in: the one given with `--data-dir` (never removed), or a new
/// temporary one that `removeIfTemporary()` deletes unless the run keeps its data.
public struct DatasetFolder: Sendable {
    public let path: String
    public let isTemporary: Bool
    public let keep: Bool

    /// Uses `given`, or creates a fresh folder under the temporary directory.
    public init(given: String?, keep: Bool) throws {
        self.keep = keep
        if let given {
            path = (given as NSString).expandingTildeInPath
            isTemporary = false
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } else {
            let name = "skein-bench-\(UInt32.random(in: .min ... .max))"
            path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
            isTemporary = true
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
    }

    /// Deletes a temporary folder unless asked to keep it; returns what is left for the report.
    @discardableResult
    public func removeIfTemporary() -> String? {
        guard isTemporary, !keep else { return path }
        try? FileManager.default.removeItem(atPath: path)
        return nil
    }
}
