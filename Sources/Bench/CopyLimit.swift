import Foundation
import Logging
import PostgresNIO
import Storage

/// The raw-COPY limit: what the same PostgreSQL absorbs when the same rows are loaded with plain
/// text-format COPY into a NEW database made by Skein's migrations (same tables, same indexes,
/// same day partitions), `connections` COPYs in parallel, `chunkRows` rows per COPY (each its own
/// transaction, as Skein commits per batch). Only the loading is timed.
public struct CopyLimit: Sendable {
    public var endpoint: DatabaseEndpoint
    public var migrationsDirectory: String
    public var connections: Int
    public var chunkRows: Int
    public var keepDatabase: Bool

    public init(endpoint: DatabaseEndpoint, migrationsDirectory: String, connections: Int, chunkRows: Int = 4_000, keepDatabase: Bool = false) {
        self.endpoint = endpoint
        self.migrationsDirectory = migrationsDirectory
        self.connections = max(1, connections)
        self.chunkRows = max(1, chunkRows)
        self.keepDatabase = keepDatabase
    }

    /// What loading took.
    public struct Outcome: Sendable {
        public var spanRows: Int
        public var tracePartRows: Int
        public var seconds: Double
        public var spanRowsPerSecond: Double { seconds > 0 ? Double(spanRows) / seconds : 0 }
    }

    /// Creates the database, migrates it, loads `rows` and (unless kept) drops the database.
    public func run(_ rows: CopyLimitRows, logger: Logger) async throws -> Outcome {
        let name = "skein_copy_limit_\(UInt32.random(in: .min ... .max))"
        try await withClient(endpoint) { admin in
            _ = try await admin.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        do {
            let outcome = try await withClient(endpoint.with(database: name)) { client in
                _ = try await MigrationRunner(client: client, directory: migrationsDirectory, logger: logger).migrate()
                try await PostgresTraceStore(client: client, logger: logger)
                    .ensurePartitions(around: UInt64(Date().timeIntervalSince1970 * 1e9))
                return try await load(rows, client: client, logger: logger)
            }
            if !keepDatabase { try await dropDatabase(name, logger: logger) }
            return outcome
        } catch {
            if !keepDatabase { try? await dropDatabase(name, logger: logger) }
            throw error
        }
    }

    private func dropDatabase(_ name: String, logger: Logger) async throws {
        try await withClient(endpoint) { admin in
            _ = try await admin.query("DROP DATABASE IF EXISTS \(unescaped: name)", logger: logger)
        }
    }

    private func load(_ rows: CopyLimitRows, client: PostgresClient, logger: Logger) async throws -> Outcome {
        // Rendered into buffers before timing: the clock covers only COPY.
        let spanChunks = Self.chunks(rows.spanLines, size: chunkRows).map { ("spans", CopyLimitRows.spanColumns, $0) }
        let partChunks = Self.chunks(rows.tracePartLines, size: chunkRows).map { ("trace_parts", CopyLimitRows.tracePartColumns, $0) }
        let work = Self.interleave(spanChunks, partChunks)
        let workers = connections
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                let mine = stride(from: worker, to: work.count, by: workers).map { work[$0] }
                group.addTask {
                    try await client.withConnection { connection in
                        for (table, columns, buffer) in mine {
                            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                                try await writer.write(buffer)
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - started).inMilliseconds / 1_000
        return Outcome(spanRows: rows.spanLines.count, tracePartRows: rows.tracePartLines.count, seconds: seconds)
    }

    static func chunks(_ lines: [String], size: Int) -> [ByteBuffer] {
        stride(from: 0, to: lines.count, by: size).map { start in
            var buffer = ByteBuffer()
            for line in lines[start..<min(start + size, lines.count)] { buffer.writeString(line) }
            return buffer
        }
    }

    /// Spreads the trace-part chunks evenly between the span chunks.
    static func interleave<T>(_ major: [T], _ minor: [T]) -> [T] {
        guard !minor.isEmpty, !major.isEmpty else { return major + minor }
        var result: [T] = []
        let every = max(1, major.count / minor.count)
        var minorIndex = 0
        for (index, item) in major.enumerated() {
            result.append(item)
            if (index + 1) % every == 0, minorIndex < minor.count {
                result.append(minor[minorIndex])
                minorIndex += 1
            }
        }
        result.append(contentsOf: minor[minorIndex...])
        return result
    }

    private func withClient<T: Sendable>(_ endpoint: DatabaseEndpoint, _ body: (PostgresClient) async throws -> T) async throws -> T {
        try await BenchPostgres.withClient(endpoint, logger: Logger(label: "skein.bench.copy-limit"), body)
    }
}
