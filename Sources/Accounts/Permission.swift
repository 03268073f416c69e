/// One thing a person or an API token may be allowed to do; roles are sets of these.
///
/// The raw values are stored in the database (`roles.permissions`) and must never change.
public enum Permission: String, CaseIterable, Sendable, Hashable, Codable {
    case tracesRead = "traces.read"
    case dashboardsRead = "dashboards.read"
    case slosManage = "slos.manage"
    case alertsManage = "alerts.manage"
    case searchesSave = "searches.save"
    case tracesPin = "traces.pin"
    case ingestHealthRead = "ingest.health.read"
    case usersManage = "users.manage"
    case rolesManage = "roles.manage"
    case tokensManage = "tokens.manage"
    case retentionManage = "retention.manage"
    case redactionManage = "redaction.manage"
    case auditRead = "audit.read"

    /// One line for the roles page: what holding the permission lets someone do.
    public var summary: String {
        switch self {
        case .tracesRead: return "Search and read traces and open service pages"
        case .dashboardsRead: return "View dashboards"
        case .slosManage: return "Create, change and delete service level objectives"
        case .alertsManage: return "Create, change, silence and delete alerts"
        case .searchesSave: return "Save searches and share them"
        case .tracesPin: return "Pin traces so retention keeps them"
        case .ingestHealthRead: return "See ingest health: rates, drops and refusals"
        case .usersManage: return "Create, change and disable user accounts"
        case .rolesManage: return "Create and change roles and assign them to users"
        case .tokensManage: return "Create and revoke API tokens for ingest and reading"
        case .retentionManage: return "Change how long traces are kept"
        case .redactionManage: return "Change which span attributes are redacted"
        case .auditRead: return "Read the audit log"
        }
    }
}
