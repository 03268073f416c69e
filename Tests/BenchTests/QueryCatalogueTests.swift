import Testing
import TraceModel
@testable import Bench

@Suite struct QueryCatalogueTests {
    let hour: UInt64 = 3_600_000_000_000
    var catalogue: QueryCatalogue {
        QueryCatalogue(
            operations: ["frontend": ["GET /", "GET /product/{id}"], "auth": ["POST /login"], "redis": []],
            known: DatasetKnownTraces(seed: 1),
            dataset: DatasetParameters(spans: 1_000, hours: 24, seed: 1, endUnixNano: 1_700_000_000 * 1_000_000_000))
    }

    @Test func everyRepetitionAsksEveryCaseOnce() {
        let requests = catalogue.requests(repetition: 3)
        #expect(requests.map(\.queryCase) == QueryCase.all)
    }

    @Test func repetitionsVaryTraceServiceOperationAndWindow() {
        let first = catalogue.requests(repetition: 0)
        let second = catalogue.requests(repetition: 1)
        #expect(first[0].path != second[0].path)
        #expect(first[2].path != second[2].path)
        let pairs = (0..<3).compactMap { catalogue.pick($0) }
        #expect(Set(pairs.map { "\($0.0) \($0.1)" }).count == 3)
        #expect(catalogue.window(1).end == catalogue.window(0).end - hour)
        #expect(catalogue.window(23) == catalogue.window(0))
        #expect(catalogue.window(22).start == catalogue.dataset.startUnixNano + hour)
    }

    @Test func servicesWithoutOperationsAreLeftOut() {
        #expect(catalogue.operations.map(\.service) == ["auth", "frontend"])
    }

    @Test func pageWindowsAreWrittenAsTheSearchFormReadsThem() {
        // 2023-11-14T22:13:20Z
        #expect(QueryCatalogue.minuteText(1_700_000_000 * 1_000_000_000) == "2023-11-14T22:13")
        #expect(QueryCatalogue.minuteText(0) == "1970-01-01T00:00")
    }

    @Test func withoutServicesThereIsNothingToAsk() {
        let empty = QueryCatalogue(operations: [:], known: DatasetKnownTraces(seed: 1),
                                   dataset: DatasetParameters(spans: 1, hours: 1, seed: 1, endUnixNano: hour))
        #expect(empty.requests(repetition: 0).isEmpty)
    }
}
