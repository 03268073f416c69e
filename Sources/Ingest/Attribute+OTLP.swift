import TraceModel

extension Attribute {
    init(_ proto: ProtoKeyValue) {
        self.init(proto.key, AttributeValue(proto.value))
    }
}

extension ProtoKeyValue {
    init(_ attribute: Attribute) {
        self.init()
        key = attribute.key
        if attribute.value != .empty { value = ProtoAnyValue(attribute.value) }
    }
}
