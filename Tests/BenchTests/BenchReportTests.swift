import Testing
@testable import Bench

@Suite struct BenchReportTests {
    private let machine = BenchMachine(cores: 2, memoryBytes: 4 << 30, cpuModel: "Test CPU", build: .release, postgresVersion: "17.2")

    @Test func aFigureWithATargetShowsTheTargetRatioAndVerdict() {
        let line = BenchReport.line(for: BenchFigure("ingest.spans_per_second", 30_000, "spans/s", target: .atLeast(25_000)))
        #expect(line == "ingest.spans_per_second  30000 spans/s  (target ≥ 25000 spans/s, ratio 1.20, met)")
    }

    @Test func aMissedUpperBoundSaysMissed() {
        let line = BenchReport.line(for: BenchFigure("ingest.peak_rss", 350, "MiB", target: .atMost(300)))
        #expect(line == "ingest.peak_rss  350 MiB  (target ≤ 300 MiB, ratio 1.17, MISSED)")
    }

    @Test func aFigureWithoutTargetIsNameValueUnit() {
        #expect(BenchReport.line(for: BenchFigure("ingest.requests_per_second", 61.234, "req/s")) == "ingest.requests_per_second  61.23 req/s")
        #expect(BenchReport.line(for: BenchFigure("ingest.responses_429", 0, "requests")) == "ingest.responses_429  0 requests")
    }

    @Test func theHeaderNamesTheMachineAndColumnsAlign() {
        var report = BenchReport(title: "ingest", machine: machine, notes: ["machine shared"])
        report.add(BenchFigure("a", 1.5, "x"))
        report.add(BenchFigure("longer.name", 12_345, "y"))
        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Skein benchmark: ingest")
        #expect(lines[1] == "machine: 2 cores, 4096 MiB memory, Test CPU")
        #expect(lines[2] == "build: release; PostgreSQL 17.2")
        #expect(lines[3] == "note: machine shared")
        #expect(lines[4] == "a             1.50 x")
        #expect(lines[5] == "longer.name  12345 y")
    }

    @Test func aDebugBuildReportStartsWithTheWarning() {
        var debugMachine = machine
        debugMachine.build = .debug
        let text = BenchReport(title: "ingest", machine: debugMachine).text
        #expect(text.contains(BenchReport.debugWarning))
    }

    @Test func cpuModelIsReadFromProcCPUInfo() {
        let text = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nflags\t\t: fpu\n"
        #expect(BenchMachine.cpuModel(fromCPUInfo: text) == "Intel(R) Xeon(R) CPU @ 2.20GHz")
        #expect(BenchMachine.cpuModel(fromCPUInfo: "processor : 0\n") == nil)
    }
}
