/// A TLS certificate or private-key file `skein serve` could not use; says which file and why.
struct TLSFileError: Error, CustomStringConvertible {
    let path: String
    let kind: String
    let reason: String

    var description: String { "Cannot use \(path) as the TLS \(kind): \(reason)" }
}
