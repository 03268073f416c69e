/// Which services' traces a role (or a read token) may see: every service, or only services whose
/// name matches one of a list of patterns.
///
/// A pattern is compared case-sensitively with the whole service name; `*` matches any run of
/// characters (also none), every other character matches itself. `checkout-*` allows
/// `checkout-api` and `checkout-`, not `Checkout-api`. An empty pattern list allows nothing.
public enum ServiceScope: Sendable, Hashable {
    case unrestricted
    case services([String])

    /// No service at all: the scope of someone with no roles.
    public static let none = ServiceScope.services([])

    /// Whether traces of `service` are inside the scope.
    public func allows(service: String) -> Bool {
        switch self {
        case .unrestricted: return true
        case .services(let patterns): return patterns.contains { Self.pattern($0, matches: service) }
        }
    }

    /// The patterns, or nil for an unrestricted scope (how the database stores it).
    public var patterns: [String]? {
        switch self {
        case .unrestricted: return nil
        case .services(let patterns): return patterns
        }
    }

    /// The scope built from stored patterns (nil means unrestricted); duplicates are dropped.
    public init(patterns: [String]?) {
        guard let patterns else { self = .unrestricted; return }
        var seen = Set<String>()
        self = .services(patterns.filter { seen.insert($0).inserted })
    }

    /// Services allowed by either scope: what someone holding several roles may see.
    public func union(_ other: ServiceScope) -> ServiceScope {
        switch (self, other) {
        case (.unrestricted, _), (_, .unrestricted): return .unrestricted
        case (.services(let mine), .services(let theirs)): return ServiceScope(patterns: mine + theirs)
        }
    }

    /// The union of any number of scopes; `.none` for none at all.
    public static func union(of scopes: some Sequence<ServiceScope>) -> ServiceScope {
        scopes.reduce(.none) { $0.union($1) }
    }

    /// Services allowed by both scopes, erring on the side of allowing less: a pattern of one scope
    /// is kept only when the other scope certainly covers everything it matches (the other scope
    /// is unrestricted, holds the same pattern or `*`, or the pattern has no wildcard and matches).
    /// Used for read tokens, which never see more than their owner.
    public func intersection(_ other: ServiceScope) -> ServiceScope {
        switch (self, other) {
        case (.unrestricted, _): return other
        case (_, .unrestricted): return self
        case (.services(let mine), .services(let theirs)):
            let kept = mine.filter { other.covers(pattern: $0) } + theirs.filter { self.covers(pattern: $0) }
            return ServiceScope(patterns: kept)
        }
    }

    /// Whether every name `pattern` matches is certainly allowed by this scope.
    private func covers(pattern: String) -> Bool {
        switch self {
        case .unrestricted: return true
        case .services(let patterns):
            if patterns.contains(pattern) || patterns.contains("*") { return true }
            return !pattern.contains("*") && allows(service: pattern)
        }
    }

    /// Whole-string glob match where `*` is the only special character.
    static func pattern(_ pattern: String, matches name: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        var pi = 0, ni = 0
        // Position after the last `*` seen and the name position it was tried against, for backtracking.
        var star: (pattern: Int, name: Int)?
        while ni < n.count {
            if pi < p.count, p[pi] == "*" {
                star = (pi + 1, ni)
                pi += 1
            } else if pi < p.count, p[pi] == n[ni] {
                pi += 1
                ni += 1
            } else if let last = star {
                pi = last.pattern
                ni = last.name + 1
                star = (last.pattern, last.name + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
