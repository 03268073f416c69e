import TraceModel

extension OTLPJSON {
    /// `TracesData` / `ExportTraceServiceRequest` (the same JSON shape): `{"resourceSpans": [...]}`.
    struct TracesData: Decodable {
        var resourceSpans: [ResourceSpans] = []

        private enum CodingKeys: String, CodingKey {
            case resourceSpans
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resourceSpans = try container.list(.resourceSpans)
        }
    }

    /// `ResourceSpans`; the resource's schema URL is read from this group.
    struct ResourceSpans: Decodable {
        var resource: TraceModel.Resource
        var scopeSpans: [ScopeSpans]

        private enum CodingKeys: String, CodingKey {
            case resource, scopeSpans, schemaUrl
        }

        private enum ResourceKeys: String, CodingKey {
            case attributes, droppedAttributesCount
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

    /// `ScopeSpans`; the scope's schema URL is read from this group.
    struct ScopeSpans: Decodable {
        var scope: InstrumentationScope
        var spans: [Span]

        private enum CodingKeys: String, CodingKey {
            case scope, spans, schemaUrl
        }

        private enum ScopeKeys: String, CodingKey {
            case name, version, attributes, droppedAttributesCount
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
    }
}
