/// The answer of the readiness check behind `/readyz`: ready, or the reasons why not
/// (`database unreachable`, `migrations pending: 0002_queue.sql`).
public struct ReadinessReport: Sendable, Equatable {
    /// What is wrong, in words an operator can act on; empty when ready.
    public var problems: [String]

    public init(problems: [String] = []) {
        self.problems = problems
    }

    public var isReady: Bool { problems.isEmpty }

    public static let ready = ReadinessReport()
}
