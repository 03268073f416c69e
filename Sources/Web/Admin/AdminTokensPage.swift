import Accounts
import Foundation

/// View model of `admin-tokens.mustache`: every API token, the create form and, right after a
/// token was created, its secret (shown this once and never again).
struct AdminTokensPage: Sendable {
    /// One row of the token table.
    struct Row: Sendable {
        var id: String
        var name: String
        var kind: String
        var owner: String
        var scope: String
        var created: String
        var expires: String
        var lastUsed: String
        var revoked: String
        var isRevoked: Bool
        var revokeToken: String
    }

    /// The secret of the token just created.
    struct CreatedSecret: Sendable {
        var name: String
        var kind: String
        var secret: String
    }

    var title = "API tokens"
    var navTokens = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var csrfToken: String
    var rows: [Row]
    var created: CreatedSecret?
    var problem: String?
    /// The create form's values, kept after a refusal.
    var name = ""
    var services = ""

    init(tokens: [APIToken], ownerNames: [UUID: String], csrfToken: String, now: Date) {
        self.csrfToken = csrfToken
        rows = tokens.map { token in
            Row(
                id: token.id.uuidString.lowercased(),
                name: token.name,
                kind: token.kind.rawValue,
                owner: ownerNames[token.ownerUserID] ?? "(deleted user)",
                scope: token.kind == .ingest ? "—" : Self.scopeText(token.scope),
                created: AdminTime.text(token.createdAt),
                expires: token.expiresAt.map { AdminTime.text($0) + ($0 <= now ? " (expired)" : "") } ?? "never",
                lastUsed: token.lastUsedAt.map(AdminTime.text) ?? "never",
                revoked: AdminTime.text(token.revokedAt),
                isRevoked: token.revokedAt != nil,
                revokeToken: csrfToken)
        }
    }

    static func scopeText(_ scope: ServiceScope) -> String {
        switch scope {
        case .unrestricted: return "all services"
        case .services(let patterns): return patterns.isEmpty ? "no services" : patterns.joined(separator: ", ")
        }
    }
}
