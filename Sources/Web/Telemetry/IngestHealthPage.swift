import Intake

/// View model of `/admin/ingest`: the ingest and query figures of `/metrics`, read from the same
/// exposition text, as tables an operator can take in at a glance. A figure Skein does not
/// export (yet) shows as "—".
struct IngestHealthPage: Sendable {
    /// Spans through one receiver.
    struct ProtocolRow: Sendable {
        var name: String
        var received: String
        var accepted: String
        var dropped: String
        var refusedRequests: String
    }

    /// A count for one protocol and reason (dropped, altered or refused).
    struct ReasonRow: Sendable {
        var protocolName: String
        var reason: String
        var count: String
    }

    /// Requests to one route of one listener.
    struct EndpointRow: Sendable {
        var listener: String
        var endpoint: String
        var requests: String
        var serverErrors: String
        var p50: String
        var p99: String
    }

    static let missing = "—"

    var title = "Ingest health"
    var navIngest = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var refreshSeconds = 10
    var protocols: [ProtocolRow]
    var drops: [ReasonRow]
    var alterations: [ReasonRow]
    var refusals: [ReasonRow]
    var queueSpans: String
    var queueCapacity: String
    var memoryReserved: String
    var memoryBudget: String
    var storageAvailable: String
    var storageUnavailable: Bool
    var writeP50: String
    var writeP99: String
    var writeFailures: String
    var batchMean: String
    var batchP50: String
    var visibilityP50: String
    var visibilityP99: String
    var endpoints: [EndpointRow]
    var poolMaximum: String
    var queriesInFlight: String
    var residentMemory: String
    var uptime: String
    var version: String

    // Stored, not computed: Mustache reads properties by reflection.
    var hasDrops: Bool
    var hasAlterations: Bool
    var hasRefusals: Bool
    var hasEndpoints: Bool

    /// - Parameter nowUnixSeconds: the clock, for the uptime.
    init(metrics: PrometheusText, nowUnixSeconds: Double) {
        let received = metrics.sums("skein_spans_received_total", by: "protocol")
        let accepted = metrics.sums("skein_spans_accepted_total", by: "protocol")
        let dropped = metrics.sums("skein_spans_dropped_total", by: "protocol")
        let refused = metrics.sums("skein_ingest_requests_refused_total", by: "protocol")
        var names = IngestProtocol.allCases.map(\.rawValue)
        for name in Set(received.keys).union(accepted.keys).union(dropped.keys).union(refused.keys).sorted() where !names.contains(name) {
            names.append(name)
        }
        protocols = names.map { name in
            ProtocolRow(
                name: name, received: Self.count(received[name] ?? 0), accepted: Self.count(accepted[name] ?? 0),
                dropped: Self.count(dropped[name] ?? 0), refusedRequests: Self.count(refused[name] ?? 0))
        }
        drops = Self.reasons(metrics, "skein_spans_dropped_total")
        alterations = Self.reasons(metrics, "skein_spans_altered_total")
        refusals = Self.reasons(metrics, "skein_ingest_requests_refused_total")
        hasDrops = !drops.isEmpty
        hasAlterations = !alterations.isEmpty
        hasRefusals = !refusals.isEmpty

        queueSpans = metrics.sum("skein_ingest_queue_spans").map(Self.count) ?? Self.missing
        queueCapacity = metrics.sum("skein_ingest_queue_capacity_spans").map(Self.count) ?? Self.missing
        memoryReserved = metrics.sum("skein_ingest_memory_reserved_bytes").map(Self.bytes) ?? Self.missing
        memoryBudget = metrics.sum("skein_ingest_memory_budget_bytes").map(Self.bytes) ?? Self.missing
        let available = metrics.sum("skein_storage_available")
        storageAvailable = available.map { $0 > 0 ? "yes" : "no" } ?? Self.missing
        storageUnavailable = available == 0

        let write = metrics.histogram("skein_storage_write_seconds")
        writeP50 = Self.seconds(write?.quantile(0.5))
        writeP99 = Self.seconds(write?.quantile(0.99))
        writeFailures = metrics.sum("skein_storage_write_failures_total").map(Self.count) ?? Self.missing
        let batch = metrics.histogram("skein_storage_batch_spans")
        batchMean = batch?.mean.map(Self.decimal) ?? Self.missing
        batchP50 = batch?.quantile(0.5).map(Self.decimal) ?? Self.missing
        let visibility = metrics.histogram("skein_span_visibility_delay_seconds")
        visibilityP50 = Self.seconds(visibility?.quantile(0.5))
        visibilityP99 = Self.seconds(visibility?.quantile(0.99))

        endpoints = Self.endpoints(metrics)
        hasEndpoints = !endpoints.isEmpty
        poolMaximum = metrics.sum("skein_db_pool_connections_max").map(Self.count) ?? Self.missing
        queriesInFlight = metrics.sum("skein_db_queries_in_flight").map(Self.count) ?? Self.missing
        residentMemory = metrics.sum("skein_process_resident_memory_bytes").map(Self.bytes) ?? Self.missing
        uptime = metrics.sum("skein_process_start_time_seconds").map { start in
            DurationText.format(UInt64(max(0, nowUnixSeconds - start)) * 1_000_000_000)
        } ?? Self.missing
        version = metrics.samples(named: "skein_build_info").first?.labels["version"] ?? Self.missing
    }

    // MARK: Tables

    private static func reasons(_ metrics: PrometheusText, _ name: String) -> [ReasonRow] {
        metrics.samples(named: name)
            .map { (protocolName: $0.labels["protocol"] ?? "", reason: $0.labels["reason"] ?? "", value: $0.value) }
            .filter { $0.value > 0 }
            .sorted { ($0.protocolName, $0.reason) < ($1.protocolName, $1.reason) }
            .map { ReasonRow(protocolName: $0.protocolName, reason: $0.reason, count: count($0.value)) }
    }

    private static func endpoints(_ metrics: PrometheusText) -> [EndpointRow] {
        let metric = "skein_http_request_duration_seconds"
        var routes = Set<[String]>()
        for sample in metrics.samples(named: metric + "_count") {
            routes.insert([sample.labels["listener"] ?? "", sample.labels["endpoint"] ?? ""])
        }
        return routes.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map { route in
            let matching = ["listener": route[0], "endpoint": route[1]]
            let histogram = metrics.histogram(metric, matching: matching)
            let serverErrors = metrics.sum(
                "skein_http_requests_total", matching: matching.merging(["status_class": "5xx"]) { $1 }) ?? 0
            return EndpointRow(
                listener: route[0], endpoint: route[1], requests: histogram.map { count($0.count) } ?? missing,
                serverErrors: count(serverErrors), p50: seconds(histogram?.quantile(0.5)),
                p99: seconds(histogram?.quantile(0.99)))
        }
    }

    // MARK: Formatting

    static func count(_ value: Double) -> String {
        guard value.isFinite else { return missing }
        return String(Int64(value.rounded()))
    }

    static func decimal(_ value: Double) -> String {
        value.isFinite ? DurationText.trimmed(value) : missing
    }

    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite, value >= 0 else { return missing }
        return DurationText.format(UInt64(value * 1_000_000_000))
    }

    static func bytes(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return missing }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int64(scaled)) B" : "\(DurationText.trimmed(scaled)) \(units[unit])"
    }
}
