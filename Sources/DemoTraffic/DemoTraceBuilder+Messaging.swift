import TraceModel

// Kafka producer and consumer spans with the messaging semantic conventions.
extension DemoTraceBuilder {
    /// Publishes a message and returns the producer span, whose context travels in the message.
    mutating func publish(from caller: inout OpenSpan, topic: String, key: String, partition: Int64) -> Span {
        let kafka = system.kafka
        var span = start(
            "publish \(topic)", kind: .producer, service: caller.service,
            scope: caller.service.language.messagingScope, parent: caller,
            at: caller.cursor + random.millis(0.02...0.2),
            attributes: [
                Attribute("messaging.system", .string("kafka")),
                Attribute("messaging.destination.name", .string(topic)),
                Attribute("messaging.operation", .string("publish")),
                Attribute("messaging.operation.type", .string("publish")),
                Attribute("messaging.kafka.message.key", .string(key)),
                Attribute("messaging.kafka.destination.partition", .int(partition)),
                Attribute("messaging.client_id", .string("\(caller.service.name)-producer")),
                Attribute("server.address", .string(kafka.address)),
                Attribute("server.port", .int(kafka.port)),
                Attribute("network.peer.address", .string(kafka.ipAddress)),
                Attribute("peer.service", .string(kafka.name)),
            ])
        span.cursor += random.skewedMillis(0.8...12)
        var recorded = span.span
        caller.cursor = finish(span, tail: 0.01...0.1)
        recorded.endTimeUnixNano = caller.cursor
        return recorded
    }

    /// The root span of a consumer's trace: processing one message, linked to the span that
    /// published it (the message's creation context), as messaging conventions recommend for
    /// work that happens after the producer's request has finished.
    mutating func consume(
        in service: DemoService, topic: String, producer: Span, partition: Int64, offset: Int64, at startUnixNano: UInt64,
        handler: (inout Self, inout OpenSpan) -> Void
    ) {
        let kafka = system.kafka
        let link = SpanLink(
            traceID: producer.traceID, spanID: producer.spanID, traceState: producer.traceState,
            attributes: [Attribute("messaging.operation", .string("publish"))], flags: producer.flags)
        var span = start(
            "process \(topic)", kind: .consumer, service: service, scope: service.language.messagingScope,
            parent: nil, at: startUnixNano,
            attributes: [
                Attribute("messaging.system", .string("kafka")),
                Attribute("messaging.destination.name", .string(topic)),
                Attribute("messaging.operation", .string("process")),
                Attribute("messaging.operation.type", .string("process")),
                Attribute("messaging.consumer.group.name", .string(service.name)),
                Attribute("messaging.kafka.destination.partition", .int(partition)),
                Attribute("messaging.kafka.message.offset", .int(offset)),
                Attribute("server.address", .string(kafka.address)),
                Attribute("server.port", .int(kafka.port)),
                Attribute("peer.service", .string(kafka.name)),
            ])
        span.span.links = [link]
        work(&span, 0.1...0.6)
        handler(&self, &span)
        finish(span, tail: 0.1...0.8)
    }
}
