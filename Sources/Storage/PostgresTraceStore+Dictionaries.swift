import Crypto
import Logging
import NIOCore
import PostgresNIO
import TraceModel

/// A resource or scope ready to be stored: its canonical encoding and the hash that names it.
struct DictionaryEntry: Sendable {
    var hash: [UInt8]
    var attributes: String
    var droppedAttributesCount: Int32
    var schemaURL: String
    var name: String = ""
    var version: String = ""

    init(_ resource: Resource) {
        attributes = StoredAttributes.encode(Self.normalized(resource.attributes))
        droppedAttributesCount = Int32(clamping: resource.droppedAttributesCount)
        schemaURL = resource.schemaURL.storable
        hash = Self.hash([attributes, String(droppedAttributesCount), schemaURL])
    }

    init(_ scope: InstrumentationScope) {
        attributes = StoredAttributes.encode(Self.normalized(scope.attributes))
        droppedAttributesCount = Int32(clamping: scope.droppedAttributesCount)
        schemaURL = scope.schemaURL.storable
        name = scope.name.storable
        version = scope.version.storable
        hash = Self.hash([name, version, attributes, String(droppedAttributesCount), schemaURL])
    }

    /// Last value per key, sorted by key: the form readers get back, so equal sets hash equally.
    static func normalized(_ attributes: [Attribute]) -> [Attribute] {
        var latest: [String: AttributeValue] = [:]
        for attribute in attributes { latest[attribute.key] = attribute.value }
        return latest.map { Attribute($0.key, $0.value) }.sorted { $0.key < $1.key }
    }

    static func hash(_ parts: [String]) -> [UInt8] {
        var hasher = SHA256()
        for part in parts {
            let bytes = Array(part.utf8)
            hasher.update(data: String(bytes.count).utf8 + [0x3A] + bytes)
        }
        return Array(hasher.finalize())
    }
}

/// Dictionary ids a batch needs, resolved in the batch's transaction.
struct ResolvedDictionaries: Sendable {
    var serviceIDs: [String: Int32] = [:]
    var operationIDs: [DictionaryCache.OperationKey: Int32] = [:]
    var resourceIDs: [[UInt8]: Int64] = [:]
    var scopeIDs: [[UInt8]: Int64] = [:]
}

extension PostgresTraceStore {
    /// Finds or creates the dictionary rows for a batch. New rows are created in the caller's
    /// transaction; the cache learns them only after it commits (`remember`).
    func resolveDictionaries(
        services: Set<String>, operations: Set<OperationName>, resources: [[UInt8]: DictionaryEntry],
        scopes: [[UInt8]: DictionaryEntry], connection: PostgresConnection
    ) async throws -> ResolvedDictionaries {
        var resolved = cache.withLock { cache in
            var known = ResolvedDictionaries()
            for name in services { if let id = cache.serviceIDs[name] { known.serviceIDs[name] = id } }
            for hash in resources.keys { if let id = cache.resourceIDs[hash] { known.resourceIDs[hash] = id } }
            for hash in scopes.keys { if let id = cache.scopeIDs[hash] { known.scopeIDs[hash] = id } }
            return known
        }

        let missingServices = services.filter { resolved.serviceIDs[$0] == nil }.sorted()
        if !missingServices.isEmpty {
            try await connection.query(
                "INSERT INTO services (name) SELECT unnest(\(missingServices)::text[]) ON CONFLICT (name) DO NOTHING",
                logger: logger)
            let rows = try await connection.query("SELECT id, name FROM services WHERE name = ANY(\(missingServices))", logger: logger)
            for try await (id, name) in rows.decode((Int32, String).self) { resolved.serviceIDs[name] = id }
        }

        var operationKeys: [DictionaryCache.OperationKey] = []
        for operation in operations {
            guard let serviceID = resolved.serviceIDs[operation.service] else { continue }
            operationKeys.append(.init(serviceID: serviceID, name: operation.name, kind: operation.kind))
        }
        cache.withLock { cache in
            for key in operationKeys { if let id = cache.operationIDs[key] { resolved.operationIDs[key] = id } }
        }
        let missingOperations = operationKeys.filter { resolved.operationIDs[$0] == nil }
            .sorted { ($0.serviceID, $0.name, $0.kind) < ($1.serviceID, $1.name, $1.kind) }
        if !missingOperations.isEmpty {
            let serviceIDs = missingOperations.map(\.serviceID)
            let names = missingOperations.map(\.name)
            let kinds = missingOperations.map(\.kind)
            try await connection.query(
                """
                INSERT INTO operations (service_id, name, span_kind)
                SELECT * FROM unnest(\(serviceIDs)::int[], \(names)::text[], \(kinds)::smallint[])
                ON CONFLICT (service_id, name, span_kind) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query(
                """
                SELECT o.id, o.service_id, o.name, o.span_kind
                FROM operations o JOIN unnest(\(serviceIDs)::int[], \(names)::text[], \(kinds)::smallint[]) AS k(service_id, name, span_kind)
                  ON o.service_id = k.service_id AND o.name = k.name AND o.span_kind = k.span_kind
                """, logger: logger)
            for try await (id, serviceID, name, kind) in rows.decode((Int32, Int32, String, Int16).self) {
                resolved.operationIDs[.init(serviceID: serviceID, name: name, kind: kind)] = id
            }
        }

        let missingResources = resources.filter { resolved.resourceIDs[$0.key] == nil }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        if !missingResources.isEmpty {
            let hashes = missingResources.map { ByteBuffer(bytes: $0.key) }
            let attributes = missingResources.map(\.value.attributes)
            let dropped = missingResources.map(\.value.droppedAttributesCount)
            let schemas = missingResources.map(\.value.schemaURL)
            try await connection.query(
                """
                INSERT INTO resources (hash, attributes, dropped_attributes_count, schema_url)
                SELECT h, a::jsonb, d, s FROM unnest(\(hashes)::bytea[], \(attributes)::text[], \(dropped)::int[], \(schemas)::text[]) AS u(h, a, d, s)
                ON CONFLICT (hash) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query("SELECT id, hash FROM resources WHERE hash = ANY(\(hashes)::bytea[])", logger: logger)
            for try await (id, hash) in rows.decode((Int64, ByteBuffer).self) { resolved.resourceIDs[Array(buffer: hash)] = id }
        }

        let missingScopes = scopes.filter { resolved.scopeIDs[$0.key] == nil }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        if !missingScopes.isEmpty {
            let hashes = missingScopes.map { ByteBuffer(bytes: $0.key) }
            let names = missingScopes.map(\.value.name)
            let versions = missingScopes.map(\.value.version)
            let attributes = missingScopes.map(\.value.attributes)
            let dropped = missingScopes.map(\.value.droppedAttributesCount)
            let schemas = missingScopes.map(\.value.schemaURL)
            try await connection.query(
                """
                INSERT INTO scopes (hash, name, version, attributes, dropped_attributes_count, schema_url)
                SELECT h, n, v, a::jsonb, d, s
                FROM unnest(\(hashes)::bytea[], \(names)::text[], \(versions)::text[], \(attributes)::text[], \(dropped)::int[], \(schemas)::text[])
                  AS u(h, n, v, a, d, s)
                ON CONFLICT (hash) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query("SELECT id, hash FROM scopes WHERE hash = ANY(\(hashes)::bytea[])", logger: logger)
            for try await (id, hash) in rows.decode((Int64, ByteBuffer).self) { resolved.scopeIDs[Array(buffer: hash)] = id }
        }
        return resolved
    }

    /// Adds committed dictionary ids to the cache.
    func remember(_ resolved: ResolvedDictionaries) {
        cache.withLock { cache in
            cache.trimIfLarge()
            for (name, id) in resolved.serviceIDs { cache.serviceIDs[name] = id; cache.serviceNames[id] = name }
            for (key, id) in resolved.operationIDs { cache.operationIDs[key] = id; cache.operations[id] = key }
            cache.resourceIDs.merge(resolved.resourceIDs) { _, new in new }
            cache.scopeIDs.merge(resolved.scopeIDs) { _, new in new }
        }
    }
}

/// A span name as the writer sees it, before its service has an id.
struct OperationName: Hashable, Sendable {
    var service: String
    var name: String
    var kind: Int16
}
