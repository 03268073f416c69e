import TraceModel

extension OTLPJSON {
    /// `TracesData` / `ExportTraceServiceRequest` (the same JSON shape): `{"resourceSpans": [...]}`.
    struct TracesData: Codable {
        var resourceSpans: [ResourceSpans] = []

        private enum CodingKeys: String, CodingKey {
            case resourceSpans
        }

        init(spans: [TraceModel.Span]) {
            resourceSpans = SpanGrouping(spans).groups.map { group in
                ResourceSpans(
                    resource: group.resource,
                    scopeSpans: group.scopes.map { ScopeSpans(scope: $0.scope, spans: $0.spans.map(Span.init)) }
                )
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resourceSpans = try container.list(.resourceSpans)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resourceSpans, forKey: .resourceSpans)
        }
    }

    /// `ResourceSpans`; the resource's schema URL is read from and written to this group.
    struct ResourceSpans: Codable {
        var resource: TraceModel.Resource
        var scopeSpans: [ScopeSpans]

        private enum CodingKeys: String, CodingKey {
            case resource, scopeSpans, schemaUrl
        }

        private enum ResourceKeys: String, CodingKey {
            case attributes, droppedAttributesCount
        }

        init(resource: TraceModel.Resource, scopeSpans: [ScopeSpans]) {
            self.resource = resource
            self.scopeSpans = scopeSpans
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resource = TraceModel.Resource(schemaURL: try container.string(.schemaUrl))
            if try container.isPresent(.resource) {
                let fields = try container.nestedContainer(keyedBy: ResourceKeys.self, forKey: .resource)
                resource.attributes = try fields.attributes(.attributes)
                resource.droppedAttributesCount = try fields.integer(.droppedAttributesCount)
            }
            scopeSpans = try container.list(.scopeSpans)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            var fields = container.nestedContainer(keyedBy: ResourceKeys.self, forKey: .resource)
            try fields.encode(attributes: resource.attributes, forKey: .attributes)
            try fields.encode(resource.droppedAttributesCount, skippingZero: .droppedAttributesCount)
            try container.encode(scopeSpans, skippingEmpty: .scopeSpans)
            try container.encode(resource.schemaURL, skippingEmpty: .schemaUrl)
        }

        /// The domain spans of this group; malformed spans go to `decoded.rejected`.
        func appendSpans(to decoded: inout DecodedSpans) {
            for group in scopeSpans {
                for json in group.spans {
                    do {
                        decoded.spans.append(try TraceModel.Span(json, resource: resource, scope: group.scope))
                    } catch {
                        decoded.rejected.append(error.rejection)
                    }
                }
            }
        }
    }

    /// `ScopeSpans`; the scope's schema URL is read from and written to this group.
    struct ScopeSpans: Codable {
        var scope: InstrumentationScope
        var spans: [Span]

        private enum CodingKeys: String, CodingKey {
            case scope, spans, schemaUrl
        }

        private enum ScopeKeys: String, CodingKey {
            case name, version, attributes, droppedAttributesCount
        }

        init(scope: InstrumentationScope, spans: [Span]) {
            self.scope = scope
            self.spans = spans
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            scope = InstrumentationScope(schemaURL: try container.string(.schemaUrl))
            if try container.isPresent(.scope) {
                let fields = try container.nestedContainer(keyedBy: ScopeKeys.self, forKey: .scope)
                scope.name = try fields.string(.name)
                scope.version = try fields.string(.version)
                scope.attributes = try fields.attributes(.attributes)
                scope.droppedAttributesCount = try fields.integer(.droppedAttributesCount)
            }
            spans = try container.list(.spans)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            var fields = container.nestedContainer(keyedBy: ScopeKeys.self, forKey: .scope)
            try fields.encode(scope.name, skippingEmpty: .name)
            try fields.encode(scope.version, skippingEmpty: .version)
            try fields.encode(attributes: scope.attributes, forKey: .attributes)
            try fields.encode(scope.droppedAttributesCount, skippingZero: .droppedAttributesCount)
            try container.encode(spans, skippingEmpty: .spans)
            try container.encode(scope.schemaURL, skippingEmpty: .schemaUrl)
        }
    }
}
