import GRPCCore
import GRPCProtobuf

/// How a retryable gRPC refusal tells the client when to come back. OTLP/gRPC clients read it in
/// two places: the `google.rpc.Status` details in `grpc-status-details-bin` (the OTLP
/// specification, the Collector and Go/Java SDKs) and a `google.rpc.retryinfo-bin` trailer holding
/// a bare `google.rpc.RetryInfo` (what the Python SDK reads). Both are sent.
enum RetryDelay {
    /// Trailer key of the bare `google.rpc.RetryInfo` message.
    static let retryInfoTrailerKey = "google.rpc.retryinfo-bin"

    /// An error with `code` and `message` whose trailers carry a retry delay of `seconds`.
    static func error(code: RPCError.Code, message: String, retryAfterSeconds seconds: Int) -> RPCError {
        let status = GoogleRPCStatus(code: code, message: message, details: [.retryInfo(delay: .seconds(seconds))])
        var error = RPCError(status)
        error.metadata.addBinary(retryInfoBytes(seconds: seconds), forKey: retryInfoTrailerKey)
        return error
    }

    /// `google.rpc.RetryInfo { retry_delay: google.protobuf.Duration { seconds } }` in protobuf
    /// binary: field 1 (a message) holding field 1 (an int64 varint).
    static func retryInfoBytes(seconds: Int) -> [UInt8] {
        var duration: [UInt8] = []
        if seconds > 0 {
            duration.append(0x08)
            duration.append(contentsOf: varint(UInt64(seconds)))
        }
        return [0x0A] + varint(UInt64(duration.count)) + duration
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var remaining = value
        var bytes: [UInt8] = []
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
        return bytes
    }
}
