import TraceModel

extension ProtoExportRequest {
    /// An export request carrying these spans, grouped by resource and scope.
    init(spans: [Span]) {
        self.init()
        resourceSpans = SpanGrouping(spans).groups.map { group in
            var resourceSpans = ProtoResourceSpans()
            resourceSpans.resource = ProtoResource(group.resource)
            resourceSpans.schemaURL = group.resource.schemaURL
            resourceSpans.scopeSpans = group.scopes.map { scopeGroup in
                var scopeSpans = ProtoScopeSpans()
                scopeSpans.scope = ProtoScope(scopeGroup.scope)
                scopeSpans.schemaURL = scopeGroup.scope.schemaURL
                scopeSpans.spans = scopeGroup.spans.map(ProtoSpan.init)
                return scopeSpans
            }
            return resourceSpans
        }
    }
}

extension DecodedSpans {
    /// The spans of an export request, each with its resource and scope; spans with
    /// malformed ids are listed as rejected.
    init(_ request: ProtoExportRequest) {
        self.init()
        spans.reserveCapacity(request.resourceSpans.reduce(0) { total, group in
            total + group.scopeSpans.reduce(0) { $0 + $1.spans.count }
        })
        for resourceSpans in request.resourceSpans {
            let resource = Resource(resourceSpans)
            for scopeSpans in resourceSpans.scopeSpans {
                let scope = InstrumentationScope(scopeSpans)
                for proto in scopeSpans.spans {
                    do {
                        spans.append(try Span(proto, resource: resource, scope: scope))
                    } catch {
                        rejected.append(error.rejection)
                    }
                }
            }
        }
    }
}
