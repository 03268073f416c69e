/// View model of a page that explains what went wrong (unknown trace, bad id, store unavailable).
struct ErrorPage: Sendable {
    var title: String
    var heading: String
    var message: String
    var statusCode: Int
}
