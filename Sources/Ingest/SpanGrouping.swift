import TraceModel

/// Spans regrouped the way OTLP carries them: by resource, then by instrumentation scope,
/// both in first-seen order.
struct SpanGrouping {
    struct ScopeGroup {
        var scope: InstrumentationScope
        var spans: [Span]
    }

    struct ResourceGroup {
        var resource: Resource
        var scopes: [ScopeGroup]
        var scopeIndex: [InstrumentationScope: Int]
    }

    private(set) var groups: [ResourceGroup] = []

    init(_ spans: [Span]) {
        var resourceIndex: [Resource: Int] = [:]
        // Spans of one batch usually share a resource and scope: check the last ones first,
        // which is cheap because equal arrays from one decode share their storage.
        var last: (resource: Int, scope: Int)?
        for span in spans {
            if let (r, s) = last, groups[r].resource == span.resource, groups[r].scopes[s].scope == span.scope {
                groups[r].scopes[s].spans.append(span)
                continue
            }
            let r: Int
            if let existing = resourceIndex[span.resource] {
                r = existing
            } else {
                r = groups.count
                resourceIndex[span.resource] = r
                groups.append(ResourceGroup(resource: span.resource, scopes: [], scopeIndex: [:]))
            }
            let s: Int
            if let existing = groups[r].scopeIndex[span.scope] {
                s = existing
            } else {
                s = groups[r].scopes.count
                groups[r].scopeIndex[span.scope] = s
                groups[r].scopes.append(ScopeGroup(scope: span.scope, spans: []))
            }
            groups[r].scopes[s].spans.append(span)
            last = (r, s)
        }
    }
}
