import TraceModel

// The write path: checkout through auth, orders, inventory, payments and Kafka.
extension DemoTraceBuilder {
    /// Plays a checkout. Returns the Kafka producer span when the order was placed, so the
    /// caller can play the notification consumer's trace that follows it.
    mutating func checkout(at startUnixNano: UInt64, cardDeclined: Bool) -> Span? {
        var producer: Span?
        pageRequest(method: "POST", route: "/checkout", path: "/checkout", at: startUnixNano) { trace, root in
            let status = trace.call(from: &root, to: trace.system.gateway, method: "POST", route: "/api/v1/orders",
                                    path: "/api/v1/orders") { trace, gateway in
                trace.validateSession(from: &gateway)
                return trace.call(from: &gateway, to: trace.system.orders, method: "POST", route: "/orders",
                                  path: "/orders") { trace, orders in
                    let (status, published) = trace.placeOrder(&orders, cardDeclined: cardDeclined)
                    producer = published
                    return status
                }
            }
            trace.work(&root, 0.5...3)
            return status == 201 ? 303 : status
        }
        return producer
    }

    private mutating func placeOrder(_ orders: inout OpenSpan, cardDeclined: Bool) -> (Int, Span?) {
        let orderID = "O-\(random.hex(bytes: 5))"
        let itemCount = Int.random(in: 1...5, using: &random)
        let productIDs = (0..<itemCount).map { _ in AttributeValue.string(DemoCatalogue.productID(using: &random)) }
        let total = (Double.random(in: 9...420, using: &random) * 100).rounded() / 100
        orders.set("app.order.id", .string(orderID))
        orders.set("app.order.item_count", .int(Int64(itemCount)))
        orders.set("app.order.total", .double(total))
        orders.set("app.order.currency", .string("EUR"))
        orders.set("app.cart.product_ids", .array(productIDs))
        if random.chance(0.1) {
            orders.set("app.order.shipping", .keyValueList([
                Attribute("country", .string(random.pick(["DE", "FR", "NL", "SE", "US"]))),
                Attribute("express", .bool(random.chance(0.3))),
                Attribute("weight_kg", .double((Double.random(in: 0.2...12, using: &random) * 10).rounded() / 10)),
            ]))
        }
        work(&orders, 0.3...2)
        query(from: &orders, "INSERT", table: "orders",
              statement: "INSERT INTO orders (id, user_id, status, total_cents, currency) VALUES ($1, $2, 'pending', $3, $4)")
        query(from: &orders, "INSERT", table: "order_items",
              statement: "INSERT INTO order_items (order_id, product_id, quantity, price_cents) SELECT * FROM unnest($1, $2, $3, $4)")

        let reservation = "R-\(random.hex(bytes: 4))"
        call(from: &orders, to: system.inventory, method: "POST", route: "/reservations", path: "/reservations") { trace, inventory in
            inventory.set("app.reservation.id", .string(reservation))
            let slow = trace.random.chance(0.04)
            trace.query(from: &inventory, "UPDATE", table: "stock",
                        statement: "UPDATE stock SET reserved = reserved + $2 WHERE product_id = $1 AND available - reserved >= $2",
                        rows: Int64(itemCount), latency: slow ? 1_000...3_000 : 0.5...9, slow: slow)
            trace.query(from: &inventory, "INSERT", table: "reservations",
                        statement: "INSERT INTO reservations (id, order_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes')")
            return 201
        }

        let paymentStatus = call(from: &orders, to: system.payments, method: "POST", route: "/v1/charges",
                                 path: "/v1/charges") { trace, payments in
            trace.charge(&payments, orderID: orderID, amount: total, declined: cardDeclined)
        }

        guard paymentStatus == 201 else {
            call(from: &orders, to: system.inventory, method: "DELETE", route: "/reservations/{id}",
                 path: "/reservations/\(reservation)") { trace, inventory in
                trace.query(from: &inventory, "DELETE", table: "reservations",
                            statement: "DELETE FROM reservations WHERE id = $1 RETURNING product_id, quantity", rows: 1)
                trace.query(from: &inventory, "UPDATE", table: "stock",
                            statement: "UPDATE stock SET reserved = reserved - $2 WHERE product_id = $1")
                return 204
            }
            query(from: &orders, "UPDATE", table: "orders",
                  statement: "UPDATE orders SET status = 'payment_failed', updated_at = now() WHERE id = $1")
            orders.fail("payment declined for order \(orderID)", type: "PaymentDeclined")
            return (402, nil)
        }

        query(from: &orders, "UPDATE", table: "orders",
              statement: "UPDATE orders SET status = 'paid', updated_at = now() WHERE id = $1")
        let producer = publish(from: &orders, topic: "orders.placed", key: orderID,
                               partition: Int64.random(in: 0...5, using: &random))
        return (201, producer)
    }

    /// Payments charges the card through the provider; a declined card is an error with an
    /// exception event, as an instrumented exception handler records it.
    private mutating func charge(_ payments: inout OpenSpan, orderID: String, amount: Double, declined: Bool) -> Int {
        payments.set("app.order.id", .string(orderID))
        payments.set("app.payment.amount", .double(amount))
        payments.set("app.payment.method", .string(random.pick(["card", "card", "card", "paypal", "sepa_debit"])))
        if random.chance(0.2) {
            payments.set("app.payment.card_fingerprint", .bytes(random.bytes(16)))
        }
        inside(&payments, "fraud-check") { trace, fraud in
            trace.work(&fraud, 2...18)
            let score = (Double.random(in: 0...0.4, using: &trace.random) * 1_000).rounded() / 1_000
            fraud.set("app.fraud.score", .double(score))
            fraud.set("app.fraud.rules_evaluated", .int(Int64.random(in: 12...40, using: &trace.random)))
        }
        query(from: &payments, "INSERT", table: "payments",
              statement: "INSERT INTO payments (id, order_id, amount_cents, status) VALUES ($1, $2, $3, 'pending')")
        callExternal(from: &payments, to: system.paymentProvider, method: "POST", template: "/v1/charges",
                     path: "/v1/charges", status: declined ? 402 : 200, latency: 80...700)
        guard !declined else {
            let reason = random.pick(["insufficient_funds", "card_declined", "expired_card", "do_not_honor"])
            payments.addEvent("exception", [
                Attribute("exception.type", .string("com.shop.payments.CardDeclinedException")),
                Attribute("exception.message", .string("Card declined by issuer: \(reason)")),
                Attribute("exception.stacktrace", .string(Self.declinedStackTrace(reason: reason))),
                Attribute("exception.escaped", .bool(false)),
            ])
            payments.fail("card declined: \(reason)", type: "com.shop.payments.CardDeclinedException")
            payments.set("app.payment.decline_code", .string(reason))
            query(from: &payments, "UPDATE", table: "payments",
                  statement: "UPDATE payments SET status = 'declined', decline_code = $2 WHERE id = $1")
            return 402
        }
        query(from: &payments, "UPDATE", table: "payments",
              statement: "UPDATE payments SET status = 'captured', captured_at = now() WHERE id = $1")
        payments.span.status = SpanStatus(code: .ok)
        return 201
    }

    private static func declinedStackTrace(reason: String) -> String {
        """
        com.shop.payments.CardDeclinedException: Card declined by issuer: \(reason)
        \tat com.shop.payments.provider.ProviderClient.charge(ProviderClient.java:142)
        \tat com.shop.payments.ChargeService.capture(ChargeService.java:88)
        \tat com.shop.payments.ChargeController.create(ChargeController.java:51)
        \tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
        \tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
        """
    }
}
