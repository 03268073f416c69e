import Logging
import NIOCore
import PostgresNIO
import TraceModel

extension PostgresTraceStore {
    public func services() async throws -> [String] {
        let rows = try await client.query("SELECT name FROM services", logger: logger)
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names.sorted()
    }

    public func operations(service: String, kind: SpanKind?) async throws -> [Operation] {
        let kindValue = kind.map { Int16($0.rawValue) }
        let rows = try await client.query(
            """
            SELECT o.name, o.span_kind FROM operations o JOIN services s ON s.id = o.service_id
            WHERE s.name = \(service) AND (\(kindValue)::int2 IS NULL OR o.span_kind = \(kindValue)::int2)
            """, logger: logger)
        var operations: [Operation] = []
        for try await (name, kindRaw) in rows.decode((String, Int16).self) {
            operations.append(Operation(name: name, kind: SpanKind(rawValue: Int(kindRaw)) ?? .unspecified))
        }
        return operations.sorted { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }
    }

    public func trace(id: TraceID) async throws -> [Span] {
        try await traces(ids: [id])[id] ?? []
    }

    /// Two round trips however many traces: their time bounds from `trace_parts` first, so only the
    /// partitions holding their spans are searched, then every span of every trace.
    public func traces(ids: [TraceID]) async throws -> [TraceID: [Span]] {
        guard !ids.isEmpty else { return [:] }
        let keys = Set(ids).map { ByteBuffer(bytes: $0.bytes) }
        let bounds = try await client.query(
            "SELECT min(start_ns), max(end_ns) FROM trace_parts WHERE trace_id = ANY(\(keys)::bytea[])", logger: logger)
        var window: (Int64, Int64)?
        for try await (low, high) in bounds.decode((Int64?, Int64?).self) {
            if let low, let high { window = (low, high) }
        }
        guard let (low, high) = window else { return [:] }
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.spanColumns) FROM spans
            WHERE trace_id = ANY(\(keys)::bytea[]) AND start_ns BETWEEN \(low) AND \(high)
            ORDER BY start_ns, span_id
            """, logger: logger)
        let spans = try await decodeSpans(rows)
        // One trace (the trace page, the API's trace by id): no grouping, no copy of every span.
        if keys.count == 1, let id = ids.first {
            return spans.isEmpty ? [:] : [id: spans]
        }
        return Dictionary(grouping: spans, by: \.traceID)
    }

    /// One query over the traces' `trace_parts` (only parts recording drops contribute).
    public func droppedSpanCounts(ids: [TraceID]) async throws -> [TraceID: Int] {
        guard !ids.isEmpty else { return [:] }
        let keys = Set(ids).map { ByteBuffer(bytes: $0.bytes) }
        let rows = try await client.query(
            """
            SELECT trace_id, sum(dropped_span_count)::int8 FROM trace_parts
            WHERE trace_id = ANY(\(keys)::bytea[]) AND dropped_span_count > 0 GROUP BY trace_id
            """, logger: logger)
        var counts: [TraceID: Int] = [:]
        for try await (id, dropped) in rows.decode((ByteBuffer, Int64).self) {
            if let trace = TraceID(bytes: Array(buffer: id)) { counts[trace] = Int(dropped) }
        }
        return counts
    }

    static let spanColumns = """
        trace_id, span_id, parent_span_id, start_ns, duration_ns, operation_id, resource_id, scope_id, kind, \
        status_code, status_message, trace_state, flags, attributes::text, events::text, links::text, \
        dropped_attributes_count, dropped_events_count, dropped_links_count
        """

    /// A span row with its own columns decoded; operation, resource and scope still ids.
    private struct RawSpan {
        var traceID: TraceID
        var spanID: SpanID
        var parentSpanID: SpanID?
        var start: Int64
        var duration: Int64
        var operationID: Int32
        var resourceID: Int64
        var scopeID: Int64
        var kind: Int16
        var statusCode: Int16
        var statusMessage: String?
        var traceState: String?
        var flags: Int64
        var attributes: [Attribute]
        var events: [SpanEvent]
        var links: [SpanLink]
        var droppedAttributes: Int32?
        var droppedEvents: Int32?
        var droppedLinks: Int32?
    }

    /// Decodes rows of `spanColumns`. Ids are read from the cells' bytes and the JSON columns are
    /// parsed in place (no intermediate `String` or JSON tree); operations, resources and scopes
    /// are looked up once per distinct id, so spans of one process share one `Resource`.
    func decodeSpans(_ rows: PostgresRowSequence) async throws -> [Span] {
        var raws: [RawSpan] = []
        var operationIDs = Set<Int32>(), resourceIDs = Set<Int64>(), scopeIDs = Set<Int64>()
        for try await row in rows {
            // Cells in column order, without the per-row offset table of `makeRandomAccess()`.
            var cells = row.makeIterator()
            func next() throws -> PostgresCell {
                guard let cell = cells.next() else { throw PostgresTraceStoreError.corruptRow("missing column") }
                return cell
            }
            guard let traceID = Self.traceID(try next().bytes), let spanID = Self.spanID(try next().bytes)
            else { throw PostgresTraceStoreError.corruptRow("bad trace or span id") }
            let raw = RawSpan(
                traceID: traceID, spanID: spanID, parentSpanID: Self.spanID(try next().bytes),
                start: try next().decode(Int64.self), duration: try next().decode(Int64.self),
                operationID: try next().decode(Int32.self), resourceID: try next().decode(Int64.self),
                scopeID: try next().decode(Int64.self), kind: try next().decode(Int16.self),
                statusCode: try next().decode(Int16.self), statusMessage: try next().decode(String?.self),
                traceState: try next().decode(String?.self), flags: try next().decode(Int64.self),
                attributes: try next().bytes.map { try $0.withUnsafeReadableBytes(StoredAttributes.decode) } ?? [],
                events: try next().bytes.map { try $0.withUnsafeReadableBytes(StoredAttributes.decodeEvents) } ?? [],
                links: try next().bytes.map { try $0.withUnsafeReadableBytes(StoredAttributes.decodeLinks) } ?? [],
                droppedAttributes: try next().decode(Int32?.self),
                droppedEvents: try next().decode(Int32?.self), droppedLinks: try next().decode(Int32?.self))
            operationIDs.insert(raw.operationID)
            resourceIDs.insert(raw.resourceID)
            scopeIDs.insert(raw.scopeID)
            raws.append(raw)
        }
        let dictionaries = try await lookUp(operationIDs: operationIDs, resourceIDs: resourceIDs, scopeIDs: scopeIDs)
        return try raws.map { raw in
            guard let operation = dictionaries.operations[raw.operationID],
                  let resource = dictionaries.resources[raw.resourceID],
                  let scope = dictionaries.scopes[raw.scopeID]
            else { throw PostgresTraceStoreError.corruptRow("dictionary entry missing") }
            let start = UInt64(max(raw.start, 0))
            let end = UInt64(max(raw.start + raw.duration, 0))
            return Span(
                traceID: raw.traceID, spanID: raw.spanID, parentSpanID: raw.parentSpanID,
                traceState: raw.traceState ?? "", flags: UInt32(truncatingIfNeeded: raw.flags),
                name: operation.name, kind: SpanKind(rawValue: Int(raw.kind)) ?? .unspecified,
                startTimeUnixNano: start, endTimeUnixNano: end,
                attributes: raw.attributes,
                droppedAttributesCount: UInt32(max(raw.droppedAttributes ?? 0, 0)),
                events: raw.events,
                droppedEventsCount: UInt32(max(raw.droppedEvents ?? 0, 0)),
                links: raw.links,
                droppedLinksCount: UInt32(max(raw.droppedLinks ?? 0, 0)),
                status: SpanStatus(code: SpanStatus.Code(rawValue: Int(raw.statusCode)) ?? .unset, message: raw.statusMessage ?? ""),
                resource: resource, scope: scope)
        }
    }

    /// A 16-byte trace id cell, without copying it to an array.
    static func traceID(_ cell: ByteBuffer?) -> TraceID? {
        guard let cell, cell.readableBytes == 16,
              let high = cell.getInteger(at: cell.readerIndex, as: UInt64.self),
              let low = cell.getInteger(at: cell.readerIndex + 8, as: UInt64.self)
        else { return nil }
        return TraceID(high: high, low: low)
    }

    /// An 8-byte span id cell (nil for SQL NULL or another length).
    static func spanID(_ cell: ByteBuffer?) -> SpanID? {
        guard let cell, cell.readableBytes == 8, let value = cell.getInteger(at: cell.readerIndex, as: UInt64.self) else { return nil }
        return SpanID(value)
    }

    /// Dictionary rows by id, from the cache or (once) from the database.
    struct DictionarySnapshot {
        var serviceNames: [Int32: String] = [:]
        var operations: [Int32: DictionaryCache.OperationKey] = [:]
        var resources: [Int64: Resource] = [:]
        var scopes: [Int64: InstrumentationScope] = [:]

        var isEmpty: Bool { serviceNames.isEmpty && operations.isEmpty && resources.isEmpty && scopes.isEmpty }
    }

    /// The rows with these ids: from the cache, else read from the database and then cached.
    func lookUp(
        serviceIDs: Set<Int32> = [], operationIDs: Set<Int32> = [], resourceIDs: Set<Int64> = [], scopeIDs: Set<Int64> = []
    ) async throws -> DictionarySnapshot {
        let cached = cache.withLock { cache in
            var known = DictionarySnapshot()
            for id in serviceIDs { known.serviceNames[id] = cache.serviceNames[id] }
            for id in operationIDs { known.operations[id] = cache.operations[id] }
            for id in resourceIDs { known.resources[id] = cache.resources[id] }
            for id in scopeIDs { known.scopes[id] = cache.scopes[id] }
            return known
        }
        // Only rows the cache lacked are read, and only those are added to it afterwards.
        var fetched = DictionarySnapshot()
        let missingServices = serviceIDs.filter { cached.serviceNames[$0] == nil }.sorted()
        if !missingServices.isEmpty {
            let rows = try await client.query("SELECT id, name FROM services WHERE id = ANY(\(missingServices)::int4[])", logger: logger)
            for try await (id, name) in rows.decode((Int32, String).self) { fetched.serviceNames[id] = name }
        }
        let missingOperations = operationIDs.filter { cached.operations[$0] == nil }.sorted()
        if !missingOperations.isEmpty {
            let rows = try await client.query(
                "SELECT id, service_id, name, span_kind FROM operations WHERE id = ANY(\(missingOperations)::int4[])", logger: logger)
            for try await (id, serviceID, name, kind) in rows.decode((Int32, Int32, String, Int16).self) {
                fetched.operations[id] = .init(serviceID: serviceID, name: name, kind: kind)
            }
        }
        let missingResources = resourceIDs.filter { cached.resources[$0] == nil }.sorted()
        if !missingResources.isEmpty {
            let rows = try await client.query(
                "SELECT id, attributes::text, dropped_attributes_count, schema_url FROM resources WHERE id = ANY(\(missingResources)::int8[])",
                logger: logger)
            for try await (id, attributes, dropped, schema) in rows.decode((Int64, String, Int32, String).self) {
                fetched.resources[id] = Resource(
                    attributes: try StoredAttributes.decode(attributes), droppedAttributesCount: UInt32(max(dropped, 0)), schemaURL: schema)
            }
        }
        let missingScopes = scopeIDs.filter { cached.scopes[$0] == nil }.sorted()
        if !missingScopes.isEmpty {
            let rows = try await client.query(
                """
                SELECT id, name, version, attributes::text, dropped_attributes_count, schema_url
                FROM scopes WHERE id = ANY(\(missingScopes)::int8[])
                """, logger: logger)
            for try await (id, name, version, attributes, dropped, schema) in rows.decode((Int64, String, String, String, Int32, String).self) {
                fetched.scopes[id] = InstrumentationScope(
                    name: name, version: version, attributes: try StoredAttributes.decode(attributes),
                    droppedAttributesCount: UInt32(max(dropped, 0)), schemaURL: schema)
            }
        }
        guard !fetched.isEmpty else { return cached }
        cache.withLock { cache in
            cache.trimIfLarge()
            cache.serviceNames.merge(fetched.serviceNames) { _, new in new }
            cache.operations.merge(fetched.operations) { _, new in new }
            cache.resources.merge(fetched.resources) { _, new in new }
            cache.scopes.merge(fetched.scopes) { _, new in new }
        }
        var snapshot = cached
        snapshot.serviceNames.merge(fetched.serviceNames) { _, new in new }
        snapshot.operations.merge(fetched.operations) { _, new in new }
        snapshot.resources.merge(fetched.resources) { _, new in new }
        snapshot.scopes.merge(fetched.scopes) { _, new in new }
        return snapshot
    }
}
