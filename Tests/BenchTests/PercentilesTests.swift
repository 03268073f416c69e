import Testing
@testable import Bench

@Suite struct PercentilesTests {
    @Test func nearestRankOfOneToHundredIsTheRankItself() throws {
        let samples = (1...100).map(Double.init).shuffled()
        let percentiles = try #require(Percentiles(samples: samples))
        #expect(percentiles.p50 == 50)
        #expect(percentiles.p90 == 90)
        #expect(percentiles.p99 == 99)
        #expect(percentiles.max == 100)
        #expect(percentiles.min == 1)
        #expect(percentiles.count == 100)
        #expect(percentiles.mean == 50.5)
    }

    @Test func aSingleSampleIsEveryPercentile() throws {
        let percentiles = try #require(Percentiles(samples: [7]))
        #expect(percentiles.p50 == 7 && percentiles.p99 == 7 && percentiles.max == 7)
    }

    @Test func noSamplesGiveNoPercentiles() {
        #expect(Percentiles(samples: []) == nil)
    }

    @Test func mergedHistogramsUseEverySample() throws {
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        for value in 1...10 { first.record(milliseconds: Double(value)) }
        for _ in 1...90 { second.record(milliseconds: 1_000) }
        first.merge(second)
        let percentiles = try #require(first.percentiles)
        #expect(percentiles.count == 100)
        #expect(percentiles.p50 == 1_000)
        #expect(percentiles.min == 1)
    }

    @Test func durationsAreRecordedInMilliseconds() {
        var histogram = LatencyHistogram()
        histogram.record(.microseconds(1_500))
        #expect(histogram.milliseconds == [1.5])
    }
}
