/// The OTLP/gRPC listener could not listen on its address (say, the port is taken); the
/// description says where and why, for the operator.
public struct OTLPGRPCBindError: Error, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// What the transport reported, innermost cause first when there is one.
    public let reason: String

    public var description: String {
        "the OTLP/gRPC listener could not listen on \(host):\(port): \(reason)"
    }
}
