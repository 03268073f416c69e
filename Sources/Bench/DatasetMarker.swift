import Foundation

/// The file in a data folder saying which dataset was loaded into it, written only after the load
/// finished, so `--reuse` can skip loading the same parameters again.
public struct DatasetMarker: Sendable {
    public static let fileName = "bench-dataset.json"
    public let path: String

    public init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
    }

    /// The parameters of the dataset in the folder, or nil when none finished loading there.
    public func read() -> DatasetParameters? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(DatasetParameters.self, from: data)
    }

    public func write(_ parameters: DatasetParameters) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(parameters).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
