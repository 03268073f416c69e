import Storage
import TraceModel

extension TraceQuery {
    /// A compact, one-line account of the search for the audit log, such as
    /// `service=checkout operation="GET /cart" tags=http.status_code=500 errors from=… to=…`.
    /// Values holding spaces, quotes or `=` are quoted; `AuditEvent` escapes control characters
    /// and caps the length.
    var auditDescription: String {
        var parts: [String] = []
        if let service { parts.append("service=" + Self.quotedIfNeeded(service)) }
        if let operation { parts.append("operation=" + Self.quotedIfNeeded(operation)) }
        if !attributes.isEmpty {
            let tags = attributes.sorted { $0.key < $1.key }
                .map { Self.quotedIfNeeded($0.key) + "=" + Self.quotedIfNeeded($0.value) }
            parts.append("tags=" + tags.joined(separator: ","))
        }
        if let durationMinNanos { parts.append("minDuration=" + DurationText.format(durationMinNanos)) }
        if let durationMaxNanos { parts.append("maxDuration=" + DurationText.format(durationMaxNanos)) }
        if errorsOnly { parts.append("errors") }
        parts.append("from=" + Self.utcText(startMinUnixNano))
        parts.append("to=" + Self.utcText(startMaxUnixNano))
        parts.append("limit=\(limit)")
        return parts.joined(separator: " ")
    }

    /// The description of a Jaeger API search for specific traces.
    static func auditDescription(traceIDs: [TraceID]) -> String {
        "traceID=" + traceIDs.map(\.hex).joined(separator: ",")
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0.isWhitespace || $0 == "\"" || $0 == "=" || $0 == "," }
        if plain { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `2026-11-21T14:05:00Z` (UTC).
    private static func utcText(_ unixNano: UInt64) -> String {
        TimeText.inputValue(unixNano) + "Z"
    }
}
