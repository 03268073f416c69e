import Accounts

/// The one table saying who may reach each route of the UI listener.
///
/// Patterns are written as Hummingbird describes registered routes (`/trace/{traceID}`), with
/// `**` for "everything below". `RouteGuard` applies the table to every request; a path that no
/// entry matches needs a signed-in principal (so an unknown address reveals nothing to anonymous
/// visitors), and `unguarded(_:)` lets start-up and the tests refuse a registered route without
/// an entry.
///
/// Public on purpose: sign-in, sign-out and the first-admin setup link (they cannot require a
/// session), the health checks (load balancers and orchestrators probe them), static files
/// (the login page needs its stylesheet), and `/metrics` — for now: Prometheus scrapers carry no
/// session; once scrape tokens exist it should require one (`/metrics` shows ingest rates and
/// service-independent counters only, no span data).
public struct RoutePolicy: Sendable {
    /// One row: a route pattern and who may reach it.
    public struct Entry: Sendable, Hashable {
        public let pattern: String
        public let access: RouteAccess

        public init(_ pattern: String, _ access: RouteAccess) {
            self.pattern = pattern
            self.access = access
        }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Skein's UI routes.
    public static let standard = RoutePolicy(entries: [
        Entry("/login", .public),
        Entry("/logout", .public),
        Entry("/setup/{token}", .public),
        Entry("/healthz", .public),
        Entry("/readyz", .public),
        Entry("/metrics", .public),
        Entry("/static/**", .public),
        Entry("/", .requires(.tracesRead)),
        Entry("/search", .requires(.tracesRead)),
        Entry("/trace/{traceID}", .requires(.tracesRead)),
        Entry("/api/services", .requires(.tracesRead)),
        Entry("/api/services/{service}/operations", .requires(.tracesRead)),
        Entry("/api/operations", .requires(.tracesRead)),
        Entry("/api/traces", .requires(.tracesRead)),
        Entry("/api/traces/{traceId}", .requires(.tracesRead)),
        Entry("/api/dependencies", .requires(.tracesRead)),
        Entry("/api/v3/traces/{traceId}", .requires(.tracesRead)),
        Entry("/admin/ingest", .requires(.ingestHealthRead)),
        Entry("/admin/tokens", .requires(.tokensManage)),
        Entry("/admin/tokens/{id}/revoke", .requires(.tokensManage)),
        Entry("/admin/audit", .requires(.auditRead)),
        Entry("/admin/users", .requires(.usersManage)),
        Entry("/admin/users/{id}", .requires(.usersManage)),
        Entry("/admin/users/{id}/roles", .requires(.rolesManage)),
        Entry("/admin/users/{id}/disable", .requires(.usersManage)),
        Entry("/admin/users/{id}/enable", .requires(.usersManage)),
        Entry("/admin/users/{id}/password", .requires(.usersManage)),
        Entry("/admin/users/{id}/totp/disable", .requires(.usersManage)),
        Entry("/admin/roles", .requires(.rolesManage)),
        Entry("/admin/roles/{id}", .requires(.rolesManage)),
        Entry("/admin/roles/{id}/delete", .requires(.rolesManage)),
        Entry("/account", .signedIn),
        Entry("/account/password", .signedIn),
        Entry("/account/totp", .signedIn),
        Entry("/account/totp/confirm", .signedIn),
        Entry("/account/totp/disable", .signedIn),
    ])

    /// Who may reach `path` (a request path without the query); nil when no entry matches it.
    public func access(forPath path: String) -> RouteAccess? {
        let segments = Self.segments(path)
        return entries.first { Self.matches(pattern: Self.segments($0.pattern), path: segments) }?.access
    }

    /// The registered route patterns (as `Router.routes` describes them) that have no entry of
    /// their own: each must be added to the table before the route may be served.
    public func unguarded(_ registeredPatterns: some Sequence<String>) -> [String] {
        let known = Set(entries.map(\.pattern))
        return registeredPatterns.filter { !known.contains($0) }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(pattern: [Substring], path: [Substring]) -> Bool {
        if pattern.last == "**" {
            let prefix = pattern.dropLast()
            return path.count > prefix.count && zip(prefix, path).allSatisfy(segmentMatches)
        }
        return pattern.count == path.count && zip(pattern, path).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pattern: Substring, _ segment: Substring) -> Bool {
        (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
    }
}
