import TraceModel

/// Escapes text for HTML and SVG built in Swift (the SVG charts); templates escape with `{{ }}`.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Percent-encodes a query parameter value (everything but unreserved characters).
    static func queryValue(_ text: String) -> String {
        PercentEncoding.queryValue(text)
    }
}
