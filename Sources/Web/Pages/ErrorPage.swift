/// View model of a page that explains what went wrong (unknown trace, bad id, database unavailable).
struct ErrorPage: Sendable {
    var title: String
    var heading: String
    var message: String
    var statusCode: Int
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    /// Further paragraphs, after the message.
    var details: [String] = []
    /// Offer a link to `/readyz` (for outages: it says what is not ready).
    var linksReadiness = false
}
