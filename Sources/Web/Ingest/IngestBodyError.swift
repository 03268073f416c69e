/// Why an ingest request body could not be read; each maps to one HTTP status.
enum IngestBodyError: Error, Sendable, Equatable {
    /// The body, after decompression, exceeds the limit (413).
    case tooLarge(limit: Int)
    /// The compressed data is corrupt (400).
    case corrupt(String)

    var message: String {
        switch self {
        case .tooLarge(let limit):
            return "request body exceeds the limit of \(limit) bytes after decompression; send smaller batches"
        case .corrupt(let detail):
            return "request body could not be decompressed: \(detail)"
        }
    }
}
