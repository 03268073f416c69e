import TraceModel

// Read paths: product listings, product pages, stock checks.
extension DemoTraceBuilder {
    mutating func browseCatalogue(at startUnixNano: UInt64) {
        let category = random.pick(DemoCatalogue.categories)
        let page = Int.random(in: 1...4, using: &random)
        let query = "category=\(category)&page=\(page)"
        pageRequest(method: "GET", route: "/products", path: "/products", query: query, at: startUnixNano) { trace, root in
            trace.call(from: &root, to: trace.system.gateway, method: "GET", route: "/api/v1/products",
                       path: "/api/v1/products", query: query) { trace, gateway in
                if trace.random.chance(0.5) { trace.validateSession(from: &gateway) }
                return trace.call(from: &gateway, to: trace.system.catalog, method: "GET", route: "/products",
                                  path: "/products", query: query) { trace, catalog in
                    catalog.set("app.catalog.category", .string(category))
                    catalog.set("app.catalog.page", .int(Int64(page)))
                    trace.cachedQuery(
                        from: &catalog, key: "catalog:\(category):\(page)", hitRate: 0.7, table: "products",
                        statement: "SELECT id, name, price_cents, image_url FROM products WHERE category = $1 ORDER BY rank LIMIT 24 OFFSET $2",
                        rows: 24)
                    trace.work(&catalog, 0.3...3)
                    return 200
                }
            }
            trace.inside(&root, "render product-list") { trace, render in
                render.set("app.template", .string("product-list.hbs"))
                trace.work(&render, 1.5...9)
            }
            return 200
        }
    }

    mutating func viewProduct(at startUnixNano: UInt64, catalogueFails: Bool = false, slowStockChance: Double = 0.04) {
        let product = DemoCatalogue.productID(using: &random)
        pageRequest(method: "GET", route: "/products/{id}", path: "/products/\(product)", at: startUnixNano) { trace, root in
            trace.call(from: &root, to: trace.system.gateway, method: "GET", route: "/api/v1/products/{id}",
                       path: "/api/v1/products/\(product)") { trace, gateway in
                var catalogueStatus = 200
                trace.concurrently(&gateway, [
                    { trace, gateway in
                        catalogueStatus = trace.fetchProduct(from: &gateway, product: product, failFirst: catalogueFails)
                    },
                    { trace, gateway in
                        trace.fetchStock(from: &gateway, product: product, slowChance: slowStockChance)
                    },
                ])
                return catalogueStatus
            }
            trace.inside(&root, "render product-page") { trace, render in
                render.set("app.template", .string("product-page.hbs"))
                trace.work(&render, 2...12)
            }
            return 200
        }
    }

    mutating func slowStockCheck(at startUnixNano: UInt64) {
        let product = DemoCatalogue.productID(using: &random)
        pageRequest(method: "GET", route: "/products/{id}/availability", path: "/products/\(product)/availability",
                    at: startUnixNano) { trace, root in
            trace.call(from: &root, to: trace.system.gateway, method: "GET", route: "/api/v1/stock/{productId}",
                       path: "/api/v1/stock/\(product)") { trace, gateway in
                trace.fetchStock(from: &gateway, product: product, slowChance: 0.6)
                return 200
            }
        }
    }

    /// The gateway asks the catalogue for one product; when `failFirst`, the first attempt meets
    /// an exhausted connection pool (503) and the gateway retries after a back-off.
    private mutating func fetchProduct(from gateway: inout OpenSpan, product: String, failFirst: Bool) -> Int {
        let catalog = system.catalog
        if failFirst {
            let backoff = Double.random(in: 40...120, using: &random)
            call(from: &gateway, to: catalog, method: "GET", route: "/products/{id}", path: "/products/\(product)",
                 annotateClient: { _, client, status in
                     client.addEvent("retry", [
                         Attribute("retry.attempt", .int(1)),
                         Attribute("retry.reason", .string("HTTP \(status)")),
                         Attribute("retry.backoff_ms", .double(backoff)),
                     ])
                 },
                 handler: { trace, server in
                     trace.work(&server, 2...30)
                     server.fail("connection pool exhausted: 20 of 20 connections in use", type: "PoolTimeoutError")
                     return 503
                 })
            gateway.cursor += UInt64(backoff * 1_000_000)
        }
        return call(from: &gateway, to: catalog, method: "GET", route: "/products/{id}", path: "/products/\(product)",
                    resendCount: failFirst ? 1 : 0) { trace, server in
            server.set("app.product.id", .string(product))
            trace.cachedQuery(
                from: &server, key: "product:\(product)", hitRate: 0.8, table: "products",
                statement: "SELECT p.*, array_agg(i.url) FROM products p LEFT JOIN product_images i ON i.product_id = p.id WHERE p.id = $1 GROUP BY p.id",
                rows: 1)
            trace.work(&server, 0.2...2)
            return 200
        }
    }

    private mutating func fetchStock(from gateway: inout OpenSpan, product: String, slowChance: Double) {
        call(from: &gateway, to: system.inventory, method: "GET", route: "/stock/{productId}",
             path: "/stock/\(product)") { trace, server in
            server.set("app.product.id", .string(product))
            let slow = trace.random.chance(slowChance)
            trace.query(
                from: &server, "SELECT", table: "stock",
                statement: "SELECT w.code, s.available, s.reserved FROM stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE s.product_id = $1",
                rows: Int64.random(in: 1...5, using: &trace.random),
                latency: slow ? 1_000...3_000 : 0.4...8, slow: slow)
            let available = Int64.random(in: 0...240, using: &trace.random)
            server.set("app.stock.available", .int(available))
            server.set("app.stock.in_stock", .bool(available > 0))
            trace.work(&server, 0.1...1)
            return 200
        }
    }

    /// The gateway checks the caller's session token with auth, which keeps sessions in Redis.
    mutating func validateSession(from gateway: inout OpenSpan) {
        call(from: &gateway, to: system.auth, method: "POST", route: "/v1/tokens/validate",
             path: "/v1/tokens/validate") { trace, auth in
            let session = trace.random.hex(bytes: 8)
            let userID = Int64.random(in: 10_000...99_999, using: &trace.random)
            trace.cachedQuery(
                from: &auth, key: "session:\(session)", hitRate: 0.92, table: "sessions",
                statement: "SELECT user_id, expires_at, roles FROM sessions WHERE token_hash = $1", rows: 1)
            auth.set("enduser.id", .string(String(userID)))
            auth.set("app.user.authenticated", .bool(true))
            trace.work(&auth, 0.2...1.5)
            return 200
        }
    }
}
