/// View model of `/`: what Skein is, a search box, and the services seen in the last 24 hours.
struct LandingPage: Sendable {
    var title = "Skein"
    var navHome = true
    /// The header: who is signed in and the links they may follow.
    var chrome = PageChrome.anonymous
    var services: [ServiceChip]
    var hasServices: Bool
    var totalSpans: Int
    var totalErrors: Int
}
