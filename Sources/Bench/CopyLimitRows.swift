import Logging
import PostgresNIO

/// The rows of the raw-COPY limit, rendered as COPY text lines before any timing: exactly the
/// `spans` and `trace_parts` rows Skein stored during the ingest benchmark (dictionary ids as its
/// writer resolved them), read back from its database and escaped for `COPY ... FORMAT text` by
/// PostgreSQL itself, so the limit loads the very bytes Skein wrote.
public struct CopyLimitRows: Sendable {
    public static let spanColumns = [
        "trace_id", "span_id", "parent_span_id", "start_ns", "duration_ns", "service_id", "operation_id", "resource_id",
        "scope_id", "kind", "status_code", "status_message", "trace_state", "flags", "http_route", "http_status_code",
        "db_system", "peer_service", "is_error", "attributes", "events", "links", "dropped_attributes_count",
        "dropped_events_count", "dropped_links_count",
    ]
    public static let tracePartColumns = [
        "trace_id", "start_ns", "end_ns", "span_count", "error_count", "root_service_id", "root_operation_id",
        "service_ids", "service_span_counts", "dropped_span_count",
    ]

    /// One line per row, each ending in a newline.
    public var spanLines: [String]
    public var tracePartLines: [String]

    public init(spanLines: [String], tracePartLines: [String]) {
        self.spanLines = spanLines
        self.tracePartLines = tracePartLines
    }

    /// Reads `spanRows` span rows, and trace parts in the proportion Skein wrote them (parts per
    /// span over the whole database), from Skein's database.
    public static func read(spanRows: Int, from client: PostgresClient, logger: Logger) async throws -> CopyLimitRows {
        var totals = try await client.query("SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM trace_parts)", logger: logger)
            .decode((Int, Int).self).makeAsyncIterator()
        guard let (spanTotal, partTotal) = try await totals.next(), spanTotal > 0 else {
            return CopyLimitRows(spanLines: [], tracePartLines: [])
        }
        let spans = min(spanRows, spanTotal)
        let parts = min(partTotal, max(1, Int((Double(spans) * Double(partTotal) / Double(spanTotal)).rounded())))
        return CopyLimitRows(
            spanLines: try await lines(table: "spans", columns: spanColumns, limit: spans, client: client, logger: logger),
            tracePartLines: try await lines(table: "trace_parts", columns: tracePartColumns, limit: parts, client: client, logger: logger))
    }

    private static func lines(table: String, columns: [String], limit: Int, client: PostgresClient, logger: Logger) async throws -> [String] {
        let select = copyTextSelect(table: table, columns: columns)
        let rows = try await client.query("\(unescaped: select) LIMIT \(limit)", logger: logger)
        var lines: [String] = []
        lines.reserveCapacity(limit)
        for try await line in rows.decode(String.self) { lines.append(line + "\n") }
        return lines
    }

    /// A SELECT giving each row as one COPY text line: columns as text, backslash, newline,
    /// carriage return and tab escaped, NULL as `\N`, joined by tabs.
    public static func copyTextSelect(table: String, columns: [String]) -> String {
        let fields = columns.map { column in
            #"coalesce(replace(replace(replace(replace(\#(column)::text, '\', '\\'), E'\n', '\n'), E'\r', '\r'), E'\t', '\t'), '\N')"#
        }
        return "SELECT concat_ws(E'\\t', \(fields.joined(separator: ", "))) FROM \(table)"
    }
}
