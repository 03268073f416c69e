/// A demo run that cannot start, with a message that says what to change.
public struct DemoTrafficError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
