/// A parsed Prometheus text exposition (format 0.0.4), as `/metrics` serves it: the samples and the
/// declared type of each family. The admin ingest-health page reads its figures from this, so the
/// page and a Prometheus scrape always show the same numbers.
///
/// Parsing is lenient: a line that is not a comment, a blank or a well-formed sample is skipped.
public struct PrometheusText: Sendable {
    /// One sample line: `name{label="value",...} value`.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String] = [:], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }
    }

    public private(set) var samples: [Sample] = []
    /// `# TYPE` of each family by family name (`counter`, `gauge`, `histogram`, ...).
    public private(set) var types: [String: String] = [:]

    public init(_ text: String) {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                if words.count >= 4, words[1] == "TYPE" { types[String(words[2])] = String(words[3]) }
                continue
            }
            if let sample = Self.sample(line) { samples.append(sample) }
        }
    }

    public init(bytes: [UInt8]) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: Reading figures

    /// Samples of `name` whose labels include every pair of `matching`.
    public func samples(named name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }

    /// The sum of the matching samples of `name`; `nil` when there is none.
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double? {
        let found = samples(named: name, matching: matching)
        return found.isEmpty ? nil : found.reduce(0) { $0 + $1.value }
    }

    /// Sums of the matching samples of `name`, grouped by the value of `label`.
    public func sums(_ name: String, by label: String, matching: [String: String] = [:]) -> [String: Double] {
        var sums: [String: Double] = [:]
        for sample in samples(named: name, matching: matching) {
            sums[sample.labels[label] ?? "", default: 0] += sample.value
        }
        return sums
    }

    /// The histogram family `name` (its `_bucket`, `_sum` and `_count` series), with the series that
    /// match `matching` added together; `nil` when it has no matching bucket.
    public func histogram(_ name: String, matching: [String: String] = [:]) -> HistogramFigures? {
        var counts: [Double: Double] = [:]
        for sample in samples(named: name + "_bucket", matching: matching) {
            guard let text = sample.labels["le"], let bound = Self.number(Substring(text)) else { continue }
            counts[bound, default: 0] += sample.value
        }
        guard !counts.isEmpty else { return nil }
        return HistogramFigures(
            buckets: counts.sorted { $0.key < $1.key }.map { (upperBound: $0.key, cumulativeCount: $0.value) },
            sum: sum(name + "_sum", matching: matching) ?? 0,
            count: sum(name + "_count", matching: matching) ?? counts[.infinity] ?? 0)
    }

    // MARK: Parsing

    /// `name{labels} value [timestamp]`, or `nil` when the line is not one.
    static func sample(_ line: Substring) -> Sample? {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            guard let parsed = Self.labels(&rest) else { return nil }
            labels = parsed
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard let valueText = fields.first, fields.count <= 2, let value = Self.number(valueText) else { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }

    /// Reads `{a="x",b="y\"z"}` from the start of `text`, leaving what follows.
    private static func labels(_ text: inout Substring) -> [String: String]? {
        var labels: [String: String] = [:]
        text = text.dropFirst()
        while true {
            text = text.drop { $0 == " " || $0 == "," }
            if text.first == "}" {
                text = text.dropFirst()
                return labels
            }
            let name = text.prefix { $0 != "=" && $0 != "}" }
            text = text.dropFirst(name.count)
            guard !name.isEmpty, text.first == "=" else { return nil }
            text = text.dropFirst()
            guard text.first == "\"" else { return nil }
            text = text.dropFirst()
            var value = ""
            var closed = false
            while let character = text.first {
                text = text.dropFirst()
                if character == "\"" {
                    closed = true
                    break
                }
                if character == "\\", let escaped = text.first {
                    text = text.dropFirst()
                    value.append(escaped == "n" ? "\n" : escaped)
                } else {
                    value.append(character)
                }
            }
            guard closed else { return nil }
            labels[String(name)] = value
        }
    }

    /// A sample value: a decimal or exponent number, `+Inf`, `-Inf` or `NaN`.
    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
