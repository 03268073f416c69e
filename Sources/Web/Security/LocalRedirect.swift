/// Where to send the browser after login: the `next=` target when it is a path on this server,
/// else `/`. Guards against open redirects (`next=https://evil.example`, `//evil.example`, ...).
///
/// A target is local when it starts with a single `/` and consists of printable ASCII only
/// (no control characters, spaces or non-ASCII that browsers strip or rewrite), has no
/// backslash (browsers read `\` as `/`) and no `//` in its path; and every percent-decoded
/// layer of it still starts with one `/` and holds no backslash or control character, so
/// `/%2F%2Fevil.example`, `/%5Cevil.example` and `/%09/evil.example` are refused.
public enum LocalRedirect {
    /// Longer targets are refused: no page of Skein has such a long address.
    static let maxLength = 2048

    /// `candidate` if it is a local path, else `/`.
    public static func target(_ candidate: String?) -> String {
        guard let candidate, isLocal(candidate) else { return "/" }
        return candidate
    }

    /// Whether `candidate` is a path on this server (see the type's rules).
    public static func isLocal(_ candidate: String) -> Bool {
        guard candidate.utf8.count <= maxLength, isPlainLocalPath(candidate) else { return false }
        var text = candidate
        // Each round removes one layer of percent-encoding; a few rounds cover any double
        // encoding a browser or proxy might undo. Text still encoded after them is refused.
        for _ in 0..<4 {
            guard let decoded = percentDecoded(text) else { return false }
            if decoded == text { return true }
            guard staysLocal(decoded) else { return false }
            text = decoded
        }
        return false
    }

    /// The target as sent: one leading `/`, printable ASCII without `\`, no `//` before `?`/`#`.
    private static func isPlainLocalPath(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return false }
        let pathEnd = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? bytes.endIndex
        let path = bytes[..<pathEnd]
        for index in path.indices.dropLast() where path[index] == UInt8(ascii: "/") && path[index + 1] == UInt8(ascii: "/") {
            return false
        }
        return true
    }

    /// A decoded layer may hold spaces or non-ASCII (a search term), but it must still start
    /// with exactly one `/` and hold no backslash or control character.
    private static func staysLocal(_ decoded: String) -> Bool {
        let bytes = Array(decoded.utf8)
        guard bytes.first == UInt8(ascii: "/"), bytes.count < 2 || bytes[1] != UInt8(ascii: "/") else { return false }
        return bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\\") }
    }

    /// `text` with `%XX` escapes decoded; `nil` when an escape is malformed or decodes to
    /// something that is not UTF-8.
    private static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
