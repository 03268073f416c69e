import GRPCCore
import Intake

extension IngestRefusal {
    /// The gRPC status for this refusal (the README's response table): RESOURCE_EXHAUSTED when
    /// overloaded and UNAVAILABLE when storage is unreachable or Skein is shutting down, both with
    /// a retry delay; INVALID_ARGUMENT for too many spans, which retrying cannot fix.
    var rpcError: RPCError {
        switch self {
        case .overloaded(let seconds):
            RetryDelay.error(code: .resourceExhausted, message: message, retryAfterSeconds: seconds)
        case .storageUnavailable, .shuttingDown:
            RetryDelay.error(code: .unavailable, message: message, retryAfterSeconds: retryAfterSeconds ?? 5)
        case .tooManySpans:
            RPCError(code: .invalidArgument, message: message)
        }
    }
}
