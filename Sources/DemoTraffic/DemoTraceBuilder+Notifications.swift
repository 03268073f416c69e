import TraceModel

// The asynchronous side of a checkout: notifications consumes `orders.placed` and mails the customer.
extension DemoTraceBuilder {
    mutating func sendOrderConfirmation(after producer: Span) {
        let lag = random.skewedMillis(2...400)
        consume(in: system.notifications, topic: "orders.placed", producer: producer, partition: 0,
                offset: Int64.random(in: 100_000...999_999, using: &random),
                at: producer.endTimeUnixNano + lag) { trace, consumer in
            consumer.set("messaging.message.id", .string(trace.random.hex(bytes: 8)))
            trace.query(from: &consumer, "SELECT", table: "customers",
                        statement: "SELECT email, locale, display_name FROM customers WHERE id = $1", rows: 1)
            trace.inside(&consumer, "render order-confirmation email") { trace, render in
                render.set("app.template", .string("order-confirmation.mjml"))
                render.set("app.locale", .string(trace.random.pick(["en-GB", "de-DE", "fr-FR", "nl-NL"])))
                trace.work(&render, 4...25)
            }
            trace.callExternal(from: &consumer, to: trace.system.mailProvider, method: "POST", template: "/v3/mail/send",
                               path: "/v3/mail/send", status: 202, latency: 40...350)
            trace.query(from: &consumer, "INSERT", table: "notifications",
                        statement: "INSERT INTO notifications (order_id, channel, sent_at) VALUES ($1, 'email', now())")
        }
    }
}
