/// Origins (`scheme://host[:port]`) in one comparable form, for `CSRFProtection`.
enum RequestOrigin {
    /// `text` as a lowercase origin without the default port (`:80` for http, `:443` for https);
    /// `nil` unless it is exactly `http://authority` or `https://authority` (`Origin: null`,
    /// paths, user info and control characters all give `nil`).
    static func normalized(_ text: String) -> String? {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https"
        } else if lower.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        var authority = String(lower.dropFirst(scheme.count + 3))
        guard !authority.isEmpty,
              authority.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
              !authority.contains(where: { "/?#@\\".contains($0) })
        else { return nil }
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        return "\(scheme)://\(authority)"
    }

    /// The origin of an absolute http(s) URL such as a `Referer`; `nil` for anything else.
    static func ofURL(_ url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        return normalized(String(url[..<authorityEnd]))
    }
}
