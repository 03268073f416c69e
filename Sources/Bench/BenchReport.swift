import Foundation

/// What a benchmark run found: the machine, notes (warnings, what was shared or skipped) and the
/// figures. `text` is the plain-text report; `writeJSON(to:)` the same as JSON.
public struct BenchReport: Sendable, Codable {
    public var title: String
    public var machine: BenchMachine
    public var notes: [String]
    public var figures: [BenchFigure]

    public init(title: String, machine: BenchMachine, notes: [String] = [], figures: [BenchFigure] = []) {
        self.title = title
        self.machine = machine
        self.notes = notes
        self.figures = figures
    }

    public mutating func add(_ figure: BenchFigure) { figures.append(figure) }

    public mutating func append(contentsOf other: BenchReport) {
        notes.append(contentsOf: other.notes.filter { !notes.contains($0) })
        figures.append(contentsOf: other.figures)
        if machine.postgresVersion == nil { machine.postgresVersion = other.machine.postgresVersion }
    }

    /// Printed once at the top of every debug-build report.
    public static let debugWarning = "WARNING: DEBUG BUILD. These figures are NOT representative; build with `swift build -c release --product skein` and run .build/release/skein."

    /// The report as plain text: header, notes, then one line per figure.
    public var text: String {
        var lines: [String] = []
        if machine.build == .debug {
            lines.append(String(repeating: "!", count: 100))
            lines.append(Self.debugWarning)
            lines.append(String(repeating: "!", count: 100))
        }
        lines.append("Skein benchmark: \(title)")
        lines.append("machine: \(machine.cores) cores, \(BenchFormat.mebibytes(machine.memoryBytes)) MiB memory, \(machine.cpuModel)")
        lines.append("build: \(machine.build.rawValue); PostgreSQL \(machine.postgresVersion ?? "unknown")")
        for note in notes { lines.append("note: \(note)") }
        let nameWidth = figures.map(\.name.count).max() ?? 0
        let valueWidth = figures.map { BenchFormat.number($0.value).count }.max() ?? 0
        for figure in figures {
            lines.append(Self.line(for: figure, nameWidth: nameWidth, valueWidth: valueWidth))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `name  value unit  (target ≥ bound, ratio r, met|MISSED)`, columns padded to the widths given.
    public static func line(for figure: BenchFigure, nameWidth: Int = 0, valueWidth: Int = 0) -> String {
        let name = figure.name.padding(toLength: max(nameWidth, figure.name.count), withPad: " ", startingAt: 0)
        let number = BenchFormat.number(figure.value)
        let value = String(repeating: " ", count: max(0, valueWidth - number.count)) + number
        var line = "\(name)  \(value) \(figure.unit)"
        if let target = figure.target {
            let sign = target.direction == .atLeast ? "≥" : "≤"
            let ratio = figure.ratio.map { BenchFormat.number($0, decimals: 2) } ?? "n/a"
            let verdict = target.isMet(by: figure.value) ? "met" : "MISSED"
            line += "  (target \(sign) \(BenchFormat.number(target.bound)) \(figure.unit), ratio \(ratio), \(verdict))"
        }
        return line
    }

    /// Writes the report as pretty-printed JSON to `path`.
    public func writeJSON(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}
