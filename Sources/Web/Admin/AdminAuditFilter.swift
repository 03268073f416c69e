import Accounts
import Foundation

/// The audit page's filters as typed in its query string: `user` (a sign-in name), `action`,
/// `from` and `to` (a day, `2026-11-21`, or a UTC minute, `2026-11-21T14:05`; `to` includes its
/// day or minute) and `cursor` (the next page). Unusable values give a `problem` to show.
struct AdminAuditFilter: Sendable, Equatable {
    var user = ""
    var action = ""
    var from = ""
    var to = ""
    var cursor: Int64?

    init(user: String?, action: String?, from: String?, to: String?, cursor: String?) {
        self.user = (user ?? "").trimmingCharacters(in: .whitespaces)
        self.action = (action ?? "").trimmingCharacters(in: .whitespaces)
        self.from = (from ?? "").trimmingCharacters(in: .whitespaces)
        self.to = (to ?? "").trimmingCharacters(in: .whitespaces)
        self.cursor = cursor.flatMap { Int64($0) }
    }

    /// The action asked for; nil for any.
    var auditAction: AuditAction? { AuditAction(rawValue: action) }

    /// Why the filter cannot be used, nil when it can.
    var problem: String? {
        if !action.isEmpty && auditAction == nil { return "There is no action called \(action)." }
        if !from.isEmpty && Self.instant(from) == nil { return "Write the start as 2026-11-21 or 2026-11-21T14:05 (UTC)." }
        if !to.isEmpty && Self.instant(to) == nil { return "Write the end as 2026-11-21 or 2026-11-21T14:05 (UTC)." }
        return nil
    }

    /// Inclusive lower bound.
    var fromDate: Date? { Self.instant(from)?.start }
    /// Exclusive upper bound: the end of the `to` day or minute.
    var untilDate: Date? { Self.instant(to)?.end }

    /// The query string of this filter (without the cursor), for links and the CSV export.
    func query(cursor: Int64? = nil, csv: Bool = false) -> String {
        var pairs: [(String, String)] = [("user", user), ("action", action), ("from", from), ("to", to)].filter { !$0.1.isEmpty }
        if let cursor { pairs.append(("cursor", String(cursor))) }
        if csv { pairs.append(("format", "csv")) }
        return pairs.map { "\($0.0)=\(LoginForm.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// A one-line description for the audit log's `export` entry.
    var summary: String {
        let parts = [("user", user), ("action", action), ("from", from), ("to", to)].filter { !$0.1.isEmpty }
        return parts.isEmpty ? "audit log (all)" : "audit log " + parts.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// The span of time a day (`yyyy-MM-dd`) or a minute (`yyyy-MM-ddTHH:mm`) covers, in UTC.
    static func instant(_ text: String) -> (start: Date, end: Date)? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard day.count == 3, parts[0].count == 10 else { return nil }
        var components = DateComponents(year: day[0], month: day[1], day: day[2], hour: 0, minute: 0)
        var length: TimeInterval = 86_400
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false).compactMap { Int($0) }
            guard time.count == 2, parts[1].count == 5 else { return nil }
            components.hour = time[0]
            components.minute = time[1]
            length = 60
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components) else { return nil }
        return (start, start.addingTimeInterval(length))
    }
}
