import TraceModel

/// The requests of the query benchmark, one per `QueryCase` for each repetition, with parameters
/// that vary across repetitions (trace, service, operation, hour of the window, thresholds) so
/// that no cache answers them all. Pure: the same inputs give the same paths.
public struct QueryCatalogue: Sendable {
    /// One request to time.
    public struct Request: Sendable, Hashable {
        public var queryCase: QueryCase
        /// Path and query string, percent-encoded.
        public var path: String
    }

    /// Operations by service, as `/api/services/{s}/operations` lists them (services without
    /// operations are left out).
    public let operations: [(service: String, operations: [String])]
    /// Every (service, operation) pair, first operations of every service first.
    let pairs: [(service: String, operation: String)]
    public let known: DatasetKnownTraces
    public let dataset: DatasetParameters

    public init(operations: [String: [String]], known: DatasetKnownTraces, dataset: DatasetParameters) {
        let listed: [(service: String, operations: [String])] = operations.keys.sorted().compactMap { service in
            let names = (operations[service] ?? []).sorted()
            return names.isEmpty ? nil : (service, names)
        }
        let rounds = listed.map(\.operations.count).max() ?? 0
        self.operations = listed
        pairs = (0..<rounds).flatMap { round in
            listed.compactMap { entry in round < entry.operations.count ? (entry.service, entry.operations[round]) : nil }
        }
        self.known = known
        self.dataset = dataset
    }

    static let minDurations = ["50ms", "100ms", "250ms", "500ms", "1s"]
    static let statusCodes = ["500", "503", "401", "402"]
    static let dependencyLookbackHours: [UInt64] = [1, 6, 24]
    static let hourNanos: UInt64 = 3_600_000_000_000

    /// The requests of repetition `index` (0-based), one per case in `QueryCase.all` order.
    public func requests(repetition index: Int) -> [Request] {
        guard let (service, operation) = pick(index) else { return [] }
        let traceID = known.byID[index % known.byID.count].hex
        let window = window(index)
        let apiWindow = "start=\(window.start / 1_000)&end=\(window.end / 1_000)"
        let pageWindow = "lookback=custom&start=\(Self.minuteText(window.start))&end=\(Self.minuteText(window.end))"
        // The attribute search looks at the whole window but the oldest hour: failures are rare.
        let wide = (start: dataset.startUnixNano + Self.hourNanos, end: dataset.endUnixNano)
        let wideAPI = "start=\(wide.start / 1_000)&end=\(wide.end / 1_000)"
        let widePage = "lookback=custom&start=\(Self.minuteText(wide.start))&end=\(Self.minuteText(wide.end))"
        let status = Self.statusCodes[index % Self.statusCodes.count]
        let minDuration = Self.minDurations[index % Self.minDurations.count]
        let s = PercentEncoding.queryValue(service)
        let o = PercentEncoding.queryValue(operation)
        let attributeJSON = PercentEncoding.queryValue("{\"http.response.status_code\":\"\(status)\"}")
        let lookback = Self.dependencyLookbackHours[index % Self.dependencyLookbackHours.count]
        return [
            Request(queryCase: .traceByIDAPI, path: "/api/traces/\(traceID)"),
            Request(queryCase: .traceByIDPage, path: "/trace/\(traceID)"),
            Request(queryCase: .serviceOperationAPI, path: "/api/traces?service=\(s)&operation=\(o)&\(apiWindow)&limit=20"),
            Request(queryCase: .serviceOperationPage, path: "/search?service=\(s)&operation=\(o)&\(pageWindow)&limit=20"),
            Request(queryCase: .attributeAPI, path: "/api/traces?service=\(s)&tags=\(attributeJSON)&\(wideAPI)&limit=20"),
            Request(queryCase: .attributePage, path: "/search?service=\(s)&tags=\(PercentEncoding.queryValue("http.response.status_code=\(status)"))&\(widePage)&limit=20"),
            Request(queryCase: .minDurationAPI, path: "/api/traces?service=\(s)&minDuration=\(minDuration)&\(apiWindow)&limit=20"),
            Request(queryCase: .minDurationPage, path: "/search?service=\(s)&minDuration=\(minDuration)&\(pageWindow)&limit=20"),
            // What Jaeger UI sends for "errors only"; the Jaeger API reads it as the errors-only filter.
            Request(queryCase: .errorsAPI, path: "/api/traces?service=\(s)&tags=\(PercentEncoding.queryValue("{\"error\":\"true\"}"))&\(apiWindow)&limit=20"),
            Request(queryCase: .errorsPage, path: "/search?service=\(s)&errors=on&\(pageWindow)&limit=20"),
            Request(queryCase: .servicePage, path: "/"),
            Request(queryCase: .dependencies, path: "/api/dependencies?endTs=\(dataset.endUnixNano / 1_000_000)&lookback=\(lookback * 3_600_000)"),
            Request(queryCase: .services, path: "/api/services"),
            Request(queryCase: .operations, path: "/api/services/\(s)/operations"),
        ]
    }

    /// A service and one of its operations: every pair in turn, services taking turns.
    func pick(_ index: Int) -> (String, String)? {
        pairs.isEmpty ? nil : pairs[index % pairs.count]
    }

    /// An hour of the dataset's window, a different one each repetition (newest first), never the
    /// oldest hour, which holds the known traces.
    func window(_ index: Int) -> (start: UInt64, end: UInt64) {
        let hours = UInt64(max(1, dataset.hours - 1))
        let back = UInt64(index) % hours
        let end = dataset.endUnixNano - back * Self.hourNanos
        return (end > Self.hourNanos ? end - Self.hourNanos : 0, end)
    }

    /// `YYYY-MM-DDTHH:MM` (UTC), as the search form reads it; rounded down to the minute.
    static func minuteText(_ unixNano: UInt64) -> String {
        let minutes = Int64(unixNano / 60_000_000_000)
        let date = CivilDate(daysSinceEpoch: minutes / 1_440)
        let hour = (minutes % 1_440) / 60
        let minute = minutes % 60
        return date.text() + "T" + twoDigits(hour) + ":" + twoDigits(minute)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
