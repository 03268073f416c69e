/// One kind of request the query benchmark times, with the p99 target it is held to (nil when
/// the issue sets none) and the group of targets it belongs to.
public struct QueryCase: Sendable, Hashable {
    /// Figure name, e.g. `query.trace_by_id.api`.
    public var name: String
    /// Target for the p99, in milliseconds.
    public var p99TargetMilliseconds: Double?

    public init(name: String, p99TargetMilliseconds: Double?) {
        self.name = name
        self.p99TargetMilliseconds = p99TargetMilliseconds
    }

    static let traceByIDTarget = 50.0
    static let searchTarget = 150.0
    static let dashboardTarget = 300.0

    public static let traceByIDAPI = QueryCase(name: "query.trace_by_id.api", p99TargetMilliseconds: traceByIDTarget)
    public static let traceByIDPage = QueryCase(name: "query.trace_by_id.page", p99TargetMilliseconds: traceByIDTarget)
    public static let serviceOperationAPI = QueryCase(name: "query.search_service_operation.api", p99TargetMilliseconds: searchTarget)
    public static let serviceOperationPage = QueryCase(name: "query.search_service_operation.page", p99TargetMilliseconds: searchTarget)
    public static let attributeAPI = QueryCase(name: "query.search_attribute.api", p99TargetMilliseconds: searchTarget)
    public static let attributePage = QueryCase(name: "query.search_attribute.page", p99TargetMilliseconds: searchTarget)
    public static let minDurationAPI = QueryCase(name: "query.search_min_duration.api", p99TargetMilliseconds: searchTarget)
    public static let minDurationPage = QueryCase(name: "query.search_min_duration.page", p99TargetMilliseconds: searchTarget)
    public static let errorsAPI = QueryCase(name: "query.search_errors.api", p99TargetMilliseconds: searchTarget)
    public static let errorsPage = QueryCase(name: "query.search_errors.page", p99TargetMilliseconds: searchTarget)
    public static let servicePage = QueryCase(name: "query.service_page", p99TargetMilliseconds: dashboardTarget)
    public static let dependencies = QueryCase(name: "query.dependencies.api", p99TargetMilliseconds: dashboardTarget)
    public static let services = QueryCase(name: "query.services.api", p99TargetMilliseconds: nil)
    public static let operations = QueryCase(name: "query.operations.api", p99TargetMilliseconds: nil)

    /// Every case, in report order.
    public static let all: [QueryCase] = [
        traceByIDAPI, traceByIDPage, serviceOperationAPI, serviceOperationPage, attributeAPI, attributePage,
        minDurationAPI, minDurationPage, errorsAPI, errorsPage, servicePage, dependencies, services, operations,
    ]
}
