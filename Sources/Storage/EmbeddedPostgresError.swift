/// Why the embedded PostgreSQL server could not be found, initialised, started or stopped.
///
/// The message says what happened and what to do about it; it is meant for the operator.
public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
