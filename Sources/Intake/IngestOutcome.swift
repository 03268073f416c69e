import Ingest

/// What happened to one ingest request's spans, for the protocol-specific answer: how many were
/// stored, which were rejected and why, and how many were stored altered by a limit.
public struct IngestOutcome: Sendable {
    public var accepted: Int
    public var rejected: [SpanRejection]
    /// Alteration reason (e.g. `truncated_attribute`) → number of spans altered for it.
    public var alterations: [String: Int]

    public init(accepted: Int, rejected: [SpanRejection], alterations: [String: Int] = [:]) {
        self.accepted = accepted
        self.rejected = rejected
        self.alterations = alterations
    }

    /// A message naming each rejection reason with its count, e.g.
    /// `rejected 3 spans: invalid_trace_id (1), timestamp_out_of_range (2)`; empty when nothing was rejected.
    public var rejectionSummary: String {
        guard !rejected.isEmpty else { return "" }
        var counts: [String: Int] = [:]
        for rejection in rejected { counts[rejection.reason, default: 0] += 1 }
        let reasons = counts.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        let example = rejected.first.map { "; first: \($0.detail)" } ?? ""
        return "rejected \(rejected.count) span\(rejected.count == 1 ? "" : "s"): \(reasons)\(example)"
    }

    /// A message naming each alteration with its count, e.g. `altered 2 spans: truncated_attribute (2)`.
    public var alterationSummary: String {
        let total = alterations.values.reduce(0, +)
        guard total > 0 else { return "" }
        let reasons = alterations.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        return "altered \(total) span\(total == 1 ? "" : "s") to fit limits: \(reasons)"
    }

    /// The OTLP `partial_success.error_message`: rejections first, then alterations (a warning
    /// with `rejected_spans` 0 when nothing was rejected); empty when every span was stored as sent.
    public var partialSuccessMessage: String {
        [rejectionSummary, alterationSummary].filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
