import Storage
import TraceModel

/// The parameters of `GET /api/traces`, parsed with Jaeger's semantics: `start`/`end` in
/// microseconds, `minDuration`/`maxDuration` as Go durations, `lookback` (default 1h) when
/// `start` is absent, `limit` (default 20), `tags` as JSON or logfmt, repeated `traceID`; the
/// tag `error=true` (Jaeger UI's "errors only") is the errors-only filter, not an attribute.
struct JaegerSearchRequest: Sendable, Equatable {
    static let defaultLookbackNanos: UInt64 = 3_600_000_000_000
    static let defaultLimit = 20

    /// Specific traces asked for by id; when non-empty the other conditions are ignored.
    var traceIDs: [TraceID]
    var query: TraceQuery

    init(parameters: QueryParameters, nowUnixNano: UInt64, maxLimit: Int) throws(JaegerError) {
        traceIDs = []
        for text in parameters.all("traceID") {
            guard let id = TraceID(hex: text), id.isValid else {
                throw .badRequest("malformed 'traceID' parameter: \(text)")
            }
            traceIDs.append(id)
        }

        let end = try Self.microseconds(parameters["end"], name: "end") ?? nowUnixNano
        let lookback = try Self.lookback(parameters["lookback"])
        let start = try Self.microseconds(parameters["start"], name: "start")
            ?? (end > lookback ? end - lookback : 0)
        if start > end { throw .badRequest("'start' must not be after 'end'") }

        let minDuration = try Self.duration(parameters["minDuration"], name: "minDuration")
        let maxDuration = try Self.duration(parameters["maxDuration"], name: "maxDuration")
        if let minDuration, let maxDuration, maxDuration < minDuration {
            throw .badRequest("'maxDuration' should be greater than 'minDuration'")
        }

        var limit = Self.defaultLimit
        if let text = parameters["limit"] {
            guard let value = Int(text), value >= 0 else {
                throw .badRequest("malformed 'limit' parameter: expected a non-negative integer, got '\(text)'")
            }
            if value > 0 { limit = min(value, maxLimit) }
        }

        var tags: [String: String]
        do {
            tags = try JaegerTags.parse(tags: parameters.all("tags"), tag: parameters.all("tag"))
        } catch {
            throw .badRequest(error.message)
        }
        let errorsOnly = JaegerTags.takeErrorFilter(from: &tags)

        let service = parameters["service"]
        if traceIDs.isEmpty && service == nil {
            throw .badRequest("parameter 'service' is required")
        }
        query = TraceQuery(
            service: service, operation: parameters["operation"], attributes: tags,
            startMinUnixNano: start, startMaxUnixNano: end,
            durationMinNanos: minDuration, durationMaxNanos: maxDuration, errorsOnly: errorsOnly, limit: limit)
    }

    private static func microseconds(_ text: String?, name: String) throws(JaegerError) -> UInt64? {
        guard let text else { return nil }
        guard let micros = UInt64(text) else {
            throw .badRequest("malformed '\(name)' parameter: expected microseconds since the Unix epoch, got '\(text)'")
        }
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1_000)
        return overflow ? UInt64.max : nanos
    }

    private static func duration(_ text: String?, name: String) throws(JaegerError) -> UInt64? {
        guard let text else { return nil }
        guard let nanos = GoDuration.nanoseconds(text) else {
            throw .badRequest("malformed '\(name)' parameter: expected a duration such as 1.2s, 100ms or 500us, got '\(text)'")
        }
        return nanos
    }

    private static func lookback(_ text: String?) throws(JaegerError) -> UInt64 {
        guard let text, text != "custom" else { return defaultLookbackNanos }
        let days: [(suffix: String, nanos: Double)] = [("d", 86_400_000_000_000), ("w", 604_800_000_000_000)]
        guard let nanos = GoDuration.nanoseconds(text, extraUnits: days) else {
            throw .badRequest("malformed 'lookback' parameter: expected a duration such as 1h or 2d, got '\(text)'")
        }
        return nanos
    }
}
