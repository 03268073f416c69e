import Logging
import ServiceLifecycle
import Storage

/// The rollup job: every `interval`, recomputes the per-minute rollups of the minutes writers
/// marked dirty once they are past the grace period, until none is due (a backlog, such as the
/// minutes of data stored before the rollups existed, is worked off in rounds of 60 minutes).
/// Readers answer dirty minutes live, so the job's pace changes speed, never answers.
struct RollupService: Service {
    let store: PostgresTraceStore
    let logger: Logger
    var interval: Duration = .seconds(15)

    func run() async throws {
        await RepeatingWork(interval: interval, logger: logger, failureMessage: "could not roll up dirty minutes; will retry").run {
            let minutes = try await store.rollUpAllDirtyMinutes()
            if minutes > 0 { logger.debug("rolled up minutes", metadata: ["minutes": "\(minutes)"]) }
        }
    }
}
