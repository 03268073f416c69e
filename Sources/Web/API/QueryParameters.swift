import Foundation

/// A decoded URL query string that keeps repeated parameters (Jaeger's `traceID=a&traceID=b`)
/// and decodes `+` as a space, as Go's `url.ParseQuery` does.
struct QueryParameters: Sendable {
    /// Every parameter in order, repeated ones and empty values included.
    private(set) var pairs: [(name: String, value: String)]

    init(query: String?) {
        pairs = []
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            pairs.append((Self.decode(name), Self.decode(value)))
        }
    }

    /// The first value of a parameter; an empty value counts as absent, as Jaeger's `FormValue` use does.
    subscript(name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Every non-empty value of a repeated parameter, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
