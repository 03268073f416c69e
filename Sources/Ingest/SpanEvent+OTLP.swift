import TraceModel

extension SpanEvent {
    init(_ proto: ProtoSpan.Event) {
        self.init(
            timeUnixNano: proto.timeUnixNano,
            name: proto.name,
            attributes: proto.attributes.map(Attribute.init),
            droppedAttributesCount: proto.droppedAttributesCount
        )
    }
}

extension ProtoSpan.Event {
    init(_ event: SpanEvent) {
        self.init()
        timeUnixNano = event.timeUnixNano
        name = event.name
        attributes = event.attributes.map(ProtoKeyValue.init)
        droppedAttributesCount = event.droppedAttributesCount
    }
}
