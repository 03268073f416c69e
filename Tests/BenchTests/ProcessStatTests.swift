import Testing
@testable import Bench
import NIOCore

@Suite struct ProcessStatTests {
    @Test func statFieldsAreCountedFromTheLastParenthesis() throws {
        let line = "4242 (skein (serve) x) S 17 4242 4242 0 -1 4194560 900 0 0 0 1234 567 0 0 20 0 12 0 100 0 0"
        let stat = try #require(ProcessStat(statLine: line))
        #expect(stat.pid == 4242)
        #expect(stat.parentPID == 17)
        #expect(stat.userTicks == 1234)
        #expect(stat.systemTicks == 567)
    }

    @Test func aLineThatIsNotStatIsRefused() {
        #expect(ProcessStat(statLine: "hello") == nil)
    }

    @Test func statusKilobytesAreParsedAcrossTabsAndSpaces() {
        let status = "Name:\tskein\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n"
        #expect(ProcessSampler.statusKiB("VmRSS", statusText: status) == 102_400)
        #expect(ProcessSampler.statusKiB("VmHWM", statusText: status) == 204_800)
        #expect(ProcessSampler.statusKiB("VmSwap", statusText: status) == nil)
    }

    @Test func copyLinesAreSpreadEvenly() {
        #expect(CopyLimit.interleave([1, 2, 3, 4], [10, 20]) == [1, 2, 10, 3, 4, 20])
        #expect(CopyLimit.interleave([1], [10, 20]) == [1, 10, 20])
        #expect(CopyLimit.chunks(["a\n", "b\n", "c\n"], size: 2).map { String(buffer: $0) } == ["a\nb\n", "c\n"])
    }
}

@Suite struct CopyLimitRowsTests {
    @Test func everyColumnIsEscapedForCopyTextAndNullBecomesBackslashN() {
        let select = CopyLimitRows.copyTextSelect(table: "spans", columns: ["trace_id", "events"])
        #expect(select.hasPrefix("SELECT concat_ws(E'\\t', "))
        #expect(select.hasSuffix(" FROM spans"))
        #expect(select.contains(#"coalesce(replace(replace(replace(replace(trace_id::text, '\', '\\'), E'\n', '\n'), E'\r', '\r'), E'\t', '\t'), '\N')"#))
        #expect(select.contains("events::text"))
    }

    @Test func theLimitLoadsEveryColumnOfTheTablesSkeinWrites() {
        #expect(CopyLimitRows.spanColumns.count == 25)
        #expect(CopyLimitRows.tracePartColumns.count == 10)
    }
}
