import Testing
@testable import Web

/// Durations and UTC dates as the pages read and write them.
@Suite struct PagesFormattingTests {
    @Test func durationsAreReadWithTheirUnits() {
        #expect(DurationText.parse("250ms") == 250_000_000)
        #expect(DurationText.parse("1.5s") == 1_500_000_000)
        #expect(DurationText.parse("800us") == 800_000)
        #expect(DurationText.parse("800µs") == 800_000)
        #expect(DurationText.parse(" 20 ns ") == 20)
        #expect(DurationText.parse("2m") == 120_000_000_000)
        #expect(DurationText.parse("250") == nil)
        #expect(DurationText.parse("fast") == nil)
        #expect(DurationText.parse("-1s") == nil)
        #expect(DurationText.parse("1e400s") == nil)
    }

    @Test func durationsAreShownShortly() {
        #expect(DurationText.format(850) == "850ns")
        #expect(DurationText.format(12_345) == "12.3µs")
        #expect(DurationText.format(120_000_000) == "120ms")
        #expect(DurationText.format(1_500_000_000) == "1.5s")
        #expect(DurationText.format(125_000_000_000) == "2m 5s")
    }

    @Test func utcDatesRoundTripThroughDatetimeLocalValues() {
        let instant: UInt64 = 1_763_700_000_000_000_000
        #expect(TimeText.full(instant) == "2025-11-21 04:40:00.000 UTC")
        #expect(TimeText.inputValue(instant) == "2025-11-21T04:40:00")
        #expect(TimeText.parseInput("2025-11-21T04:40") == instant)
        #expect(TimeText.parseInput("2025-11-21 04:40:00") == instant)
        #expect(TimeText.parseInput("2024-02-29T00:00") == 1_709_164_800_000_000_000)
        #expect(TimeText.parseInput("yesterday") == nil)
        #expect(TimeText.parseInput("2025-13-01T00:00") == nil)
    }

    @Test func serviceColoursAreStable() {
        #expect(ServiceColor.cssClass(for: "cart") == ServiceColor.cssClass(for: "cart"))
        #expect(ServiceColor.cssClass(for: "cart").hasPrefix("svc-"))
    }
}
