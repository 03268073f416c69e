extension StorageFootprint {
    /// The target: at most 400 bytes per span on disk, indexes included.
    static let targetBytesPerSpan = 400.0
    /// Tables and indexes smaller than this are summed up as "others" (dictionaries, accounts).
    static let reportedBytes: Int64 = 1_048_576

    /// Bytes per span (against the target), the totals, then bytes per span of each table of at
    /// least 1 MiB (with its heap / TOAST / index split), of the smaller ones together, and of each
    /// index of at least 1 MiB.
    public var figures: [BenchFigure] {
        var figures = [
            BenchFigure("storage.bytes_per_span", bytesPerSpan ?? 0, "B/span", target: .atMost(Self.targetBytesPerSpan)),
            BenchFigure("storage.total", Double(totalBytes) / 1_048_576, "MiB"),
            BenchFigure("storage.spans", Double(spanCount), "spans"),
        ]
        let large = tables.filter { $0.totalBytes >= Self.reportedBytes }
        for table in large {
            let name = "storage.table.\(table.name)"
            figures.append(BenchFigure(name, perSpan(table.totalBytes), "B/span"))
            figures.append(BenchFigure("\(name).heap", perSpan(table.heapBytes), "B/span"))
            figures.append(BenchFigure("\(name).toast_and_maps", perSpan(table.toastBytes), "B/span"))
            figures.append(BenchFigure("\(name).indexes", perSpan(table.indexBytes), "B/span"))
        }
        let small = tables.filter { $0.totalBytes < Self.reportedBytes }
        if !small.isEmpty {
            figures.append(BenchFigure("storage.table.others_\(small.count)", perSpan(small.reduce(0) { $0 + $1.totalBytes }), "B/span"))
        }
        for index in indexes where index.bytes >= Self.reportedBytes {
            figures.append(BenchFigure("storage.index.\(index.name)", perSpan(index.bytes), "B/span"))
        }
        return figures
    }
}
