/// The outcome of a span: OpenTelemetry status code and message.
public struct SpanStatus: Hashable, Sendable {
    public enum Code: Int, Hashable, Sendable {
        case unset = 0
        case ok = 1
        case error = 2
    }

    public var code: Code
    public var message: String

    public init(code: Code = .unset, message: String = "") {
        self.code = code
        self.message = message
    }
}
