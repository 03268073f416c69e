import Hummingbird

/// What pages and the query API answer while PostgreSQL does not: 503 with `Retry-After`.
enum DatabaseUnavailable {
    /// Seconds clients are asked to wait before retrying.
    static let retryAfterSeconds = 5

    /// `response` with the `Retry-After` header an outage answer carries.
    static func retryLater(_ response: Response) -> Response {
        var response = response
        response.headers[.retryAfter] = String(retryAfterSeconds)
        return response
    }
}
