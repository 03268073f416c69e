/// Splits a migration file into single SQL statements, so each can be run (and, when it fails,
/// named) on its own: postgres-nio's extended protocol runs one statement per query.
///
/// A `;` ends a statement only outside quoted strings (`'...'`, `E'...'`), quoted identifiers,
/// dollar-quoted bodies (`$$...$$`, `$tag$...$tag$`) and comments (`--`, nested `/* */`).
enum MigrationSQLSplitter {
    /// One statement and the 1-based line of the file where it starts.
    struct Statement: Equatable, Sendable {
        var sql: String
        var line: Int
    }

    static func split(_ text: String) -> [Statement] {
        let chars = Array(text.unicodeScalars)
        var statements: [Statement] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var line = 1
        var startLine = 1
        var index = 0

        func finishStatement() {
            let sql = String(current).trimmingWhitespace()
            if hasCode, !sql.isEmpty { statements.append(Statement(sql: sql, line: startLine)) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func append(_ scalar: Unicode.Scalar) {
            if scalar == "\n" { line += 1 }
            current.append(scalar)
        }
        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < chars.count ? chars[index + offset] : nil
        }
        func markCode() {
            // Comments before a statement are not part of it (they would clutter error messages).
            if !hasCode { hasCode = true; startLine = line; current = String.UnicodeScalarView() }
        }

        while index < chars.count {
            let c = chars[index]
            if c == "-", peek(1) == "-" {
                while index < chars.count, chars[index] != "\n" { append(chars[index]); index += 1 }
                continue
            }
            if c == "/", peek(1) == "*" {
                var depth = 0
                while index < chars.count {
                    if chars[index] == "/", peek(1) == "*" {
                        depth += 1; append("/"); append("*"); index += 2; continue
                    }
                    if chars[index] == "*", peek(1) == "/" {
                        depth -= 1; append("*"); append("/"); index += 2
                        if depth == 0 { break }
                        continue
                    }
                    append(chars[index]); index += 1
                }
                continue
            }
            if c == ";" {
                index += 1
                finishStatement()
                continue
            }
            if c.properties.isWhitespace {
                append(c); index += 1
                continue
            }
            markCode()
            if c == "'" {
                // An E'...' string treats backslash as an escape; '' is a quote in every string.
                let previous = current.last
                let backslashEscapes = previous == "E" || previous == "e"
                append(c); index += 1
                while index < chars.count {
                    let s = chars[index]
                    if backslashEscapes, s == "\\", index + 1 < chars.count {
                        append(s); append(chars[index + 1]); index += 2; continue
                    }
                    if s == "'" {
                        if peek(1) == "'" { append(s); append(s); index += 2; continue }
                        append(s); index += 1
                        break
                    }
                    append(s); index += 1
                }
                continue
            }
            if c == "\"" {
                append(c); index += 1
                while index < chars.count {
                    let s = chars[index]
                    append(s); index += 1
                    if s == "\"" {
                        if index < chars.count, chars[index] == "\"" { append(chars[index]); index += 1; continue }
                        break
                    }
                }
                continue
            }
            if c == "$", let tag = dollarTag(chars, at: index, previous: current.last) {
                let tagScalars = Array(tag.unicodeScalars)
                for s in tagScalars { append(s) }
                index += tagScalars.count
                while index < chars.count {
                    if chars[index] == "$", matches(chars, at: index, tag: tagScalars) {
                        for s in tagScalars { append(s) }
                        index += tagScalars.count
                        break
                    }
                    append(chars[index]); index += 1
                }
                continue
            }
            append(c); index += 1
        }
        finishStatement()
        return statements
    }

    /// `$tag$` starting at `index`, or nil when the `$` is a positional parameter or part of a name.
    private static func dollarTag(_ chars: [Unicode.Scalar], at index: Int, previous: Unicode.Scalar?) -> String? {
        if let previous, previous.properties.isAlphabetic || previous == "_" || ("0"..."9").contains(previous) {
            return nil
        }
        var end = index + 1
        while end < chars.count, chars[end] != "$" {
            let s = chars[end]
            let allowed = s.properties.isAlphabetic || s == "_" || (end > index + 1 && ("0"..."9").contains(s))
            guard allowed else { return nil }
            end += 1
        }
        guard end < chars.count else { return nil }
        return String(String.UnicodeScalarView(chars[index...end]))
    }

    private static func matches(_ chars: [Unicode.Scalar], at index: Int, tag: [Unicode.Scalar]) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        for offset in 0..<tag.count where chars[index + offset] != tag[offset] {
            return false
        }
        return true
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
