import Accounts
import Foundation

/// View model of `admin-audit.mustache`: the filter form, one page of entries (newest first), a
/// link to the next page and to the CSV export of everything the filter matches.
struct AdminAuditPage: Sendable {
    /// One row of the entry table.
    struct Row: Sendable {
        var time: String
        var actor: String
        var action: String
        var target: String
        var before: String
        var after: String
        var clientAddress: String
    }

    /// One choice of the action filter.
    struct ActionChoice: Sendable {
        var value: String
        var selected: Bool
    }

    var title = "Audit log"
    var navAudit = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var user: String
    var from: String
    var to: String
    var actions: [ActionChoice]
    var rows: [Row]
    var problem: String?
    /// `/admin/audit?...` of the next (older) page, nil on the last.
    var nextPage: String?
    /// `/admin/audit?...&format=csv`.
    var csvLink: String

    init(filter: AdminAuditFilter, events: [AuditEvent], nextCursor: Int64?, problem: String?) {
        user = filter.user
        from = filter.from
        to = filter.to
        actions = AuditAction.allCases.map { ActionChoice(value: $0.rawValue, selected: $0.rawValue == filter.action) }
        rows = events.map { event in
            Row(
                time: AdminTime.text(event.time), actor: event.actorName, action: event.action.rawValue,
                target: event.target ?? "", before: event.before ?? "", after: event.after ?? "",
                clientAddress: event.clientAddress ?? "")
        }
        self.problem = problem
        nextPage = nextCursor.map { "/admin/audit?" + filter.query(cursor: $0) }
        csvLink = "/admin/audit?" + filter.query(csv: true)
    }
}
