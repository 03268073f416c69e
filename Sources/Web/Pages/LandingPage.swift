/// View model of `/`: what Skein is, a search box, and the services seen in the last 24 hours.
struct LandingPage: Sendable {
    var title = "Skein"
    var navHome = true
    var services: [ServiceChip]
    var hasServices: Bool
    var totalSpans: Int
    var totalErrors: Int
}
