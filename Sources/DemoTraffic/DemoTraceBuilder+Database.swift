import TraceModel

// PostgreSQL and Redis client spans, recorded by the calling service (databases report no spans).
extension DemoTraceBuilder {
    /// A PostgreSQL statement. `latency` is skewed (most queries are quick, a few take the long
    /// tail) unless `slow`, when it is spread evenly over the range.
    mutating func query(
        from caller: inout OpenSpan, _ operation: String, table: String, statement: String,
        rows: Int64? = nil, latency: ClosedRange<Double> = 0.3...6, slow: Bool = false
    ) {
        var attributes = [
            Attribute("db.system", .string("postgresql")),
            Attribute("db.name", .string("shop")),
            Attribute("db.namespace", .string("shop")),
            Attribute("db.user", .string(caller.service.name)),
            Attribute("db.statement", .string(statement)),
            Attribute("db.query.text", .string(statement)),
            Attribute("db.operation.name", .string(operation)),
            Attribute("db.collection.name", .string(table)),
        ] + system.postgres.connectionAttributes
        if let rows { attributes.append(Attribute("db.response.returned_rows", .int(rows))) }
        var span = start("\(operation) shop.\(table)", kind: .client, service: caller.service,
                         scope: caller.service.language.databaseScope, parent: caller,
                         at: caller.cursor + random.millis(0.01...0.15), attributes: attributes)
        span.cursor += slow ? random.millis(latency) : random.skewedMillis(latency)
        caller.cursor = finish(span, tail: 0.01...0.05)
    }

    /// A Redis command. A `GET` records whether the key was there.
    mutating func cache(from caller: inout OpenSpan, _ command: String, key: String, hit: Bool? = nil) {
        var attributes = [
            Attribute("db.system", .string("redis")),
            Attribute("db.statement", .string("\(command) \(key)")),
            Attribute("db.query.text", .string("\(command) \(key)")),
            Attribute("db.operation.name", .string(command)),
            Attribute("db.redis.database_index", .int(0)),
        ] + system.redis.connectionAttributes
        if let hit { attributes.append(Attribute("app.cache.hit", .bool(hit))) }
        var span = start(command, kind: .client, service: caller.service, scope: caller.service.language.cacheScope,
                         parent: caller, at: caller.cursor + random.millis(0.01...0.1), attributes: attributes)
        span.cursor += random.skewedMillis(0.15...1.5)
        caller.cursor = finish(span, tail: 0.005...0.03)
    }

    /// Reads through the cache: on a miss, records a `cache miss` event, queries PostgreSQL and
    /// fills the cache.
    mutating func cachedQuery(
        from caller: inout OpenSpan, key: String, hitRate: Double, table: String, statement: String, rows: Int64
    ) {
        let hit = random.chance(hitRate)
        cache(from: &caller, "GET", key: key, hit: hit)
        guard !hit else { return }
        caller.addEvent("cache miss", [Attribute("cache.key", .string(key)), Attribute("cache.name", .string("redis"))])
        query(from: &caller, "SELECT", table: table, statement: statement, rows: rows)
        cache(from: &caller, "SET", key: key)
    }
}
