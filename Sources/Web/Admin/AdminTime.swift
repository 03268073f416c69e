import Foundation

/// Times as admin pages and exports show them: ISO 8601 in UTC, to the second.
enum AdminTime {
    static func text(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(.iso8601)
    }
}
