import Accounts
import Foundation
import Logging
import Storage

/// Writes the audit entries of reads: traces viewed, searches run, traces exported (reported by
/// the pages and the Jaeger API as `AuditedRead`s) and uses of read tokens (`token.used`, at most
/// one per token per minute, see `TokenUseLimiter`), each with the principal and client address.
///
/// Recording never fails the read: an append the store refuses or cannot make is logged at error
/// level and the answer goes out as if it had succeeded. Anonymous reads are not recorded (the
/// route guard lets none through to trace data).
public struct ReadAuditRecorder: Sendable {
    let store: any AccountStore
    let logger: Logger
    let tokenUses: TokenUseLimiter
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - tokenUses: which token uses to write (one limiter per server: it holds the memory of them).
    ///   - now: the clock (injected by tests).
    public init(
        store: any AccountStore, logger: Logger, tokenUses: TokenUseLimiter = TokenUseLimiter(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.logger = logger
        self.tokenUses = tokenUses
        self.now = now
    }

    /// Writes `read` by `principal` from `clientAddress`.
    public func record(_ read: AuditedRead, principal: Principal?, clientAddress: String?) async {
        guard let principal else { return }
        await append(AuditEvent(
            time: now(), principal: principal, action: read.action, target: read.target, clientAddress: clientAddress))
    }

    /// Writes `token.used` (target the token's name, after `{"path": routePattern}`) when
    /// `principal` is a read token whose use was not written within the last minute.
    public func recordTokenUse(principal: Principal?, routePattern: String, clientAddress: String?) async {
        guard let principal, case .apiToken(let id, let name, _) = principal.identity else { return }
        let time = now()
        guard tokenUses.claim(id, at: time) else { return }
        await append(AuditEvent(
            time: time, principal: principal, action: .tokenUsed, target: name,
            after: Self.pathJSON(routePattern), clientAddress: clientAddress))
    }

    private func append(_ event: AuditEvent) async {
        do {
            _ = try await store.appendAudit(event)
        } catch {
            logger.error(
                "Could not write a read to the audit log",
                metadata: ["action": "\(event.action.rawValue)", "error": "\(String(reflecting: error))"])
        }
    }

    /// `{"path":"/api/traces/{traceId}"}`.
    static func pathJSON(_ routePattern: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: ["path": routePattern], options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
