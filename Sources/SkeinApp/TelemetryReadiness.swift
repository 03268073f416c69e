import Logging
import Storage
import Web

/// The check behind `/readyz`: the database answers, and every migration file shipped with this
/// Skein is recorded as applied. Each failure is named, so an operator knows what to fix.
struct TelemetryReadiness: Sendable {
    let store: PostgresTraceStore
    let migrations: MigrationRunner
    let logger: Logger
    /// How long each step may take before the database counts as unreachable.
    var timeout: Duration = .seconds(2)

    private enum MigrationState: Sendable {
        case pending([String])
        case unreadable
        case timedOut
    }

    func check() async -> ReadinessReport {
        guard await store.isReady(timeout: timeout) else { return ReadinessReport(problems: ["database unreachable"]) }
        switch await migrationState() {
        case .timedOut:
            return ReadinessReport(problems: ["database unreachable"])
        case .unreadable:
            return ReadinessReport(problems: ["migrations could not be checked (the server log says why)"])
        case .pending(let names) where !names.isEmpty:
            return ReadinessReport(problems: ["migrations pending: " + names.joined(separator: ", ")])
        case .pending:
            return .ready
        }
    }

    private func migrationState() async -> MigrationState {
        let migrations = migrations, logger = logger, timeout = timeout
        return await withTaskGroup(of: MigrationState.self) { group in
            group.addTask {
                do {
                    return .pending(try await migrations.pending())
                } catch {
                    logger.warning("readiness: could not compare applied migrations with the migration files",
                                   metadata: ["error": "\(String(reflecting: error))"])
                    return .unreadable
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
    }
}
