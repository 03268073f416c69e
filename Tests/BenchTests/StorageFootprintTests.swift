import Testing
@testable import Bench

@Suite struct StorageFootprintTests {
    @Test func bytesPerSpanCountsHeapToastAndIndexesOfEveryTable() {
        let footprint = StorageFootprint(
            tables: [
                .init(name: "services", heapBytes: 8_192, toastBytes: 0, indexBytes: 16_384),
                .init(name: "spans", heapBytes: 300_000, toastBytes: 10_000, indexBytes: 90_000),
            ],
            indexes: [.init(name: "a", bytes: 1), .init(name: "b", bytes: 2)],
            spanCount: 1_000)
        #expect(footprint.totalBytes == 424_576)
        #expect(footprint.bytesPerSpan == 424.576)
        #expect(footprint.tables.map(\.name) == ["spans", "services"])
        #expect(footprint.indexes.map(\.name) == ["b", "a"])
        #expect(footprint.perSpan(90_000) == 90)
    }

    @Test func anEmptyDatabaseHasNoBytesPerSpan() {
        let footprint = StorageFootprint(tables: [], indexes: [], spanCount: 0)
        #expect(footprint.bytesPerSpan == nil)
        #expect(footprint.perSpan(10) == 0)
    }
}
