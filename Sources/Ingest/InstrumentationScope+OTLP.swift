import TraceModel

extension InstrumentationScope {
    /// The scope of a `ScopeSpans` group (its schema URL lives on the group).
    init(_ group: ProtoScopeSpans) {
        self.init(
            name: group.scope.name,
            version: group.scope.version,
            attributes: group.scope.attributes.map(Attribute.init),
            droppedAttributesCount: group.scope.droppedAttributesCount,
            schemaURL: group.schemaURL
        )
    }
}

extension ProtoScope {
    init(_ scope: InstrumentationScope) {
        self.init()
        name = scope.name
        version = scope.version
        attributes = scope.attributes.map(ProtoKeyValue.init)
        droppedAttributesCount = scope.droppedAttributesCount
    }
}
