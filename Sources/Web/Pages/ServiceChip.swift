/// A service name with its colour class and an optional count, as shown in chips and legends.
struct ServiceChip: Sendable {
    var name: String
    var colorClass: String
    var count: Int
    var errorCount: Int
    var hasErrors: Bool
    var searchHref: String

    init(name: String, count: Int = 0, errorCount: Int = 0) {
        self.name = name
        self.colorClass = ServiceColor.cssClass(for: name)
        self.count = count
        self.errorCount = errorCount
        self.hasErrors = errorCount > 0
        self.searchHref = "/search?service=" + HTMLEscaping.queryValue(name)
    }
}
