import Storage

/// The search form's fields as typed (echoed back into the form) and the query they describe.
///
/// Reading never fails: each unreadable field adds a message for the page and the search is not run.
struct SearchForm: Sendable {
    /// The time ranges offered in the form, as `lookback` values.
    static let lookbacks: [(value: String, label: String, nanos: UInt64)] = [
        ("15m", "Last 15 minutes", 900_000_000_000),
        ("1h", "Last hour", 3_600_000_000_000),
        ("6h", "Last 6 hours", 21_600_000_000_000),
        ("24h", "Last 24 hours", 86_400_000_000_000),
        ("7d", "Last 7 days", 604_800_000_000_000),
        ("custom", "Custom range (UTC)", 0),
    ]
    static let defaultLimit = 20
    static let maxLimit = 1_000

    var service = ""
    var operation = ""
    var tags = ""
    var minDuration = ""
    var maxDuration = ""
    var errorsOnly = false
    var lookback = "1h"
    var start = ""
    var end = ""
    var limit = ""
    var logScale = true

    /// Messages about fields that could not be read.
    var problems: [String] = []
    /// The query, when every field was readable.
    var query: TraceQuery?

    init(parameters: [(String, String)], nowUnixNano: UInt64) {
        var values: [String: String] = [:]
        for (name, value) in parameters where values[name] == nil { values[name] = value }
        service = values["service"]?.trimmingWhitespace() ?? ""
        operation = values["operation"]?.trimmingWhitespace() ?? ""
        tags = values["tags"] ?? ""
        minDuration = values["minDuration"]?.trimmingWhitespace() ?? ""
        maxDuration = values["maxDuration"]?.trimmingWhitespace() ?? ""
        errorsOnly = ["on", "true", "1"].contains(values["errors"] ?? "")
        lookback = values["lookback"] ?? ((values["start"] ?? "").isEmpty && (values["end"] ?? "").isEmpty ? "1h" : "custom")
        start = values["start"]?.trimmingWhitespace() ?? ""
        end = values["end"]?.trimmingWhitespace() ?? ""
        limit = values["limit"]?.trimmingWhitespace() ?? ""
        logScale = values["scale"] != "linear"

        let attributes = readTags()
        let durationMin = readDuration(minDuration, label: "Min duration")
        let durationMax = readDuration(maxDuration, label: "Max duration")
        if let durationMin, let durationMax, durationMin > durationMax {
            problems.append("Min duration (\(minDuration)) is longer than max duration (\(maxDuration)).")
        }
        let window = readWindow(now: nowUnixNano)
        let limitValue = readLimit()
        guard problems.isEmpty, let window else { return }
        query = TraceQuery(
            service: service.isEmpty ? nil : service,
            operation: operation.isEmpty ? nil : operation,
            attributes: attributes,
            startMinUnixNano: window.start, startMaxUnixNano: window.end,
            durationMinNanos: durationMin, durationMaxNanos: durationMax,
            errorsOnly: errorsOnly, limit: limitValue
        )
    }

    private mutating func readDuration(_ text: String, label: String) -> UInt64? {
        guard !text.isEmpty else { return nil }
        guard let nanos = DurationText.parse(text) else {
            problems.append("\(label) “\(text)” is not a duration. Write a number and a unit, such as 250ms, 1.5s or 800us.")
            return nil
        }
        return nanos
    }

    private mutating func readLimit() -> Int {
        guard !limit.isEmpty else { return Self.defaultLimit }
        guard let value = Int(limit), value > 0 else {
            problems.append("Limit “\(limit)” must be a whole number from 1 to \(Self.maxLimit).")
            return Self.defaultLimit
        }
        if value > Self.maxLimit {
            limit = String(Self.maxLimit)
            return Self.maxLimit
        }
        return value
    }

    /// Splits `key=value` pairs separated by spaces or new lines; values may be double-quoted to hold spaces.
    private mutating func readTags() -> [String: String] {
        var result: [String: String] = [:]
        for token in Self.tokens(tags) {
            guard let equals = token.firstIndex(of: "="), equals != token.startIndex else {
                problems.append("Attribute filter “\(token)” must look like key=value, for example http.status_code=500.")
                continue
            }
            var value = String(token[token.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            result[String(token[..<equals])] = value
        }
        return result
    }

    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private mutating func readWindow(now: UInt64) -> (start: UInt64, end: UInt64)? {
        if lookback == "custom" {
            var endValue = now
            if !end.isEmpty {
                guard let parsed = TimeText.parseInput(end) else {
                    problems.append("End “\(end)” is not a date and time; use YYYY-MM-DDTHH:MM (UTC).")
                    return nil
                }
                endValue = parsed
            }
            var startValue = endValue > 3_600_000_000_000 ? endValue - 3_600_000_000_000 : 0
            if !start.isEmpty {
                guard let parsed = TimeText.parseInput(start) else {
                    problems.append("Start “\(start)” is not a date and time; use YYYY-MM-DDTHH:MM (UTC).")
                    return nil
                }
                startValue = parsed
            }
            guard startValue <= endValue else {
                problems.append("The range starts (\(start)) after it ends (\(end.isEmpty ? "now" : end)).")
                return nil
            }
            return (startValue, endValue)
        }
        guard let choice = Self.lookbacks.first(where: { $0.value == lookback && $0.nanos > 0 }) else {
            problems.append("Time range “\(lookback)” is not one of 15m, 1h, 6h, 24h, 7d.")
            return nil
        }
        return (now > choice.nanos ? now - choice.nanos : 0, now)
    }
}
