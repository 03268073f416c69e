/// One measured figure of a report: a dotted name (`ingest.otlp-protobuf.spans_per_second`), its
/// value and unit, and the target when it has one.
public struct BenchFigure: Sendable, Hashable, Codable {
    public let name: String
    public let value: Double
    public let unit: String
    public let target: BenchTarget?

    public init(_ name: String, _ value: Double, _ unit: String, target: BenchTarget? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
    }

    public var ratio: Double? { target?.ratio(of: value) }
    public var meetsTarget: Bool? { target?.isMet(by: value) }
}
