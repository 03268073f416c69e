/// A request body that could not be decoded at all. The description is safe to send back to
/// the client (it names what was wrong, not internals) and suits a 400 answer.
public struct IngestDecodingError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
