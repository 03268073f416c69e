import Accounts
import TraceModel

/// A read of trace data worth an entry in the audit log, as the pages and the Jaeger API report
/// it to their `audit` closure (which `ReadAuditRecorder.record` usually is).
public enum AuditedRead: Sendable, Hashable {
    /// A trace shown on its page or fetched through the API.
    case traceViewed(TraceID)
    /// A search that was run; the text describes its filters (`TraceQuery.auditDescription`).
    case searchRun(String)
    /// A trace downloaded as a file.
    case exported(TraceID)

    /// The audit log's action for this read.
    public var action: AuditAction {
        switch self {
        case .traceViewed: return .traceViewed
        case .searchRun: return .searchRun
        case .exported: return .export
        }
    }

    /// What was read: the trace id in hex, or the search's description.
    public var target: String {
        switch self {
        case .traceViewed(let id), .exported(let id): return id.hex
        case .searchRun(let description): return description
        }
    }
}
