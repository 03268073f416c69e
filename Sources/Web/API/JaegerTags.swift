import Foundation

/// Parses Jaeger's tag filters: `tags` as a JSON object (`{"http.status_code":"500"}`) or in logfmt
/// (`error=true http.method="GET /x"`), and the older repeated `tag=key:value` form.
enum JaegerTags {
    struct ParseError: Error {
        var message: String
    }

    static func parse(tags: [String], tag: [String]) throws(ParseError) -> [String: String] {
        var result: [String: String] = [:]
        for text in tags {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let parsed = trimmed.hasPrefix("{") ? try json(trimmed) : try logfmt(trimmed)
            result.merge(parsed) { _, new in new }
        }
        for pair in tag {
            guard let colon = pair.firstIndex(of: ":"), colon != pair.startIndex else {
                throw ParseError(message: "malformed 'tag' parameter, expected 'key:value': \(pair)")
            }
            result[String(pair[..<colon])] = String(pair[pair.index(after: colon)...])
        }
        return result
    }

    /// Spellings of true that Jaeger accepts for a bool tag (Go's `strconv.ParseBool`).
    static let trueSpellings: Set<String> = ["1", "t", "T", "true", "TRUE", "True"]

    /// Removes the tag `error` when it asks for errors (`error=true` in any spelling of true) and
    /// says so. Jaeger marks a failed span with the tag `error=true` and its UI searches for it;
    /// Skein keeps that as the span's status (OpenTelemetry status ERROR, or Zipkin's `error`
    /// tag), not as an attribute, so the tag becomes the errors-only filter. Other values of
    /// `error` stay attribute conditions.
    static func takeErrorFilter(from tags: inout [String: String]) -> Bool {
        guard let value = tags["error"], trueSpellings.contains(value) else { return false }
        tags["error"] = nil
        return true
    }

    static func json(_ text: String) throws(ParseError) -> [String: String] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw ParseError(message: "malformed 'tags' parameter: not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw ParseError(message: "malformed 'tags' parameter: expected a JSON object of strings")
        }
        var result: [String: String] = [:]
        for (key, value) in dictionary {
            guard let string = value as? String else {
                throw ParseError(message: "malformed 'tags' parameter: value of '\(key)' must be a string")
            }
            result[key] = string
        }
        return result
    }

    static func logfmt(_ text: String) throws(ParseError) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty { break }
            let key = rest.prefix { $0 != "=" && $0 != " " && $0 != "\t" }
            guard !key.isEmpty else { throw ParseError(message: "malformed 'tags' parameter: missing key in '\(text)'") }
            rest = rest.dropFirst(key.count)
            guard rest.first == "=" else {
                throw ParseError(message: "malformed 'tags' parameter: expected key=value, got '\(key)'")
            }
            rest = rest.dropFirst()
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped)
                        rest = rest.dropFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw ParseError(message: "malformed 'tags' parameter: unterminated quote") }
            } else {
                let raw = rest.prefix { $0 != " " && $0 != "\t" }
                value = String(raw)
                rest = rest.dropFirst(raw.count)
            }
            result[String(key)] = value
        }
        return result
    }
}
