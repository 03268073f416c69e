import Ingest

/// What happened to one ingest request's spans, for the protocol-specific answer.
struct IngestOutcome: Sendable {
    var accepted: Int
    var rejected: [SpanRejection]

    /// A message naming each rejection reason with its count, e.g.
    /// `rejected 3 spans: invalid_trace_id (1), timestamp_out_of_range (2)`; empty when nothing was rejected.
    var rejectionSummary: String {
        guard !rejected.isEmpty else { return "" }
        var counts: [String: Int] = [:]
        for rejection in rejected { counts[rejection.reason, default: 0] += 1 }
        let reasons = counts.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        let example = rejected.first.map { "; first: \($0.detail)" } ?? ""
        return "rejected \(rejected.count) span\(rejected.count == 1 ? "" : "s"): \(reasons)\(example)"
    }
}
