import Accounts

/// The service patterns typed into an admin form (a role's scope, a read token's scope): split at
/// commas and line breaks, trimmed, blanks dropped; and the one set of rules both forms apply.
enum ServicePatternList {
    /// Most patterns one scope may hold, and the longest pattern in characters.
    static let maximumCount = 50
    static let maximumLength = 200

    /// The patterns in `text`, in the order typed.
    static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Why `patterns` cannot be a scope, nil when they can: at most 50 patterns of 1 to 200
    /// characters, none of them control or invisible (a pattern is matched against whole service
    /// names, `*` for any run of characters and every other character, a backslash too, for itself;
    /// patterns are shown on pages and written to the audit log).
    static func problem(with patterns: [String]) -> String? {
        if patterns.count > maximumCount {
            return "Name at most \(maximumCount) service patterns."
        }
        return patterns.lazy.compactMap(problem(withPattern:)).first
    }

    static func problem(withPattern pattern: String) -> String? {
        if pattern.unicodeScalars.count > maximumLength {
            return "Use at most \(maximumLength) characters for each service pattern."
        }
        if !AuditText.isSanitised(pattern, limit: maximumLength) {
            return "Use only visible characters in service patterns."
        }
        return nil
    }
}
