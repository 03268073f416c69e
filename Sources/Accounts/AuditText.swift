/// Makes untrusted text safe to keep in the audit log: one line, no invisible characters, bounded.
///
/// Control characters (`\n`, `\r`, `\t`, ESC…), line and paragraph separators and format
/// characters (bidirectional overrides, zero-width spaces) are written as visible escapes
/// (`\n`, `\u001b`, `\u202e`), and a backslash as `\\`, so a user name or search cannot start a
/// fake entry, recolour a terminal or reorder what a reader sees — and an escape in the log
/// always means the character was really there. Text longer than the limit is cut and ends in `…`.
public enum AuditText {
    /// Sanitised `text`, at most `limit` unicode scalars long (the escapes count).
    public static func sanitised(_ text: String, limit: Int) -> String {
        let limit = max(1, limit)
        var pieces: [[Unicode.Scalar]] = []
        var length = 0
        for scalar in text.unicodeScalars {
            let piece = escaped(scalar)
            pieces.append(piece)
            length += piece.count
            if length > limit { break }
        }
        var result = String.UnicodeScalarView()
        if length <= limit {
            for piece in pieces { result.append(contentsOf: piece) }
            return String(result)
        }
        // Cut before the piece that does not fit with the ellipsis: an escape is never cut in half.
        var kept = 0
        for piece in pieces {
            if kept + piece.count > limit - 1 { break }
            result.append(contentsOf: piece)
            kept += piece.count
        }
        result.append("…")
        return String(result)
    }

    /// Whether `text` could be the output of `sanitised(_:limit:)`: no character that would be
    /// escaped, and within the limit. Stores check this before appending, so an event built some
    /// other way than `AuditEvent.init` cannot smuggle a line break into the log.
    public static func isSanitised(_ text: String, limit: Int) -> Bool {
        text.unicodeScalars.count <= max(1, limit)
            && text.unicodeScalars.allSatisfy { $0 == "\\" || escaped($0) == [$0] }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar {
        case "\\": return ["\\", "\\"]
        case "\n": return ["\\", "n"]
        case "\r": return ["\\", "r"]
        case "\t": return ["\\", "t"]
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            let hex = String(scalar.value, radix: 16)
            let digits = scalar.value > 0xFFFF ? 8 : 4
            let text = (scalar.value > 0xFFFF ? "\\U" : "\\u") + String(repeating: "0", count: max(0, digits - hex.count)) + hex
            return Array(text.unicodeScalars)
        default:
            return [scalar]
        }
    }
}
