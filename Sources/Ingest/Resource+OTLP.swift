import TraceModel

extension Resource {
    /// The resource of a `ResourceSpans` group (its schema URL lives on the group).
    init(_ group: ProtoResourceSpans) {
        self.init(
            attributes: group.resource.attributes.map(Attribute.init),
            droppedAttributesCount: group.resource.droppedAttributesCount,
            schemaURL: group.schemaURL
        )
    }
}

extension ProtoResource {
    init(_ resource: Resource) {
        self.init()
        attributes = resource.attributes.map(ProtoKeyValue.init)
        droppedAttributesCount = resource.droppedAttributesCount
    }
}
