import Accounts
import Foundation
import PostgresNIO

extension PostgresAccountStore {
    @discardableResult
    public func appendAudit(_ event: AuditEvent) async throws -> Int64 {
        guard event.isSanitised else { throw AccountStoreError.unsanitisedAuditEvent }
        let rows = try await client.query("""
            INSERT INTO audit_log (occurred_at, actor_user_id, actor_name, action, target, before_text, after_text, client_address)
            VALUES (\(event.time), \(event.actorUserID), \(event.actorName.storable), \(event.action.rawValue),
                    \(event.target?.storable), \(event.before?.storable), \(event.after?.storable), \(event.clientAddress?.storable))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw AccountStoreError.corruptRow("the audit entry was not given an id")
    }

    public func auditEvents(_ query: AuditQuery) async throws -> AuditPage {
        // Optional filters as bound parameters: `$n IS NULL OR …` keeps one plan and no pasted SQL.
        let actions: [String]? = query.actions.isEmpty ? nil : query.actions.map(\.rawValue).sorted()
        let fetch = query.limit + 1
        let rows = try await client.query("""
            SELECT id, occurred_at, actor_user_id, actor_name, action, target, before_text, after_text, client_address
            FROM audit_log
            WHERE (\(query.actorUserID)::uuid IS NULL OR actor_user_id = \(query.actorUserID))
              AND (\(actions)::text[] IS NULL OR action = ANY(\(actions)))
              AND (\(query.from)::timestamptz IS NULL OR occurred_at >= \(query.from))
              AND (\(query.until)::timestamptz IS NULL OR occurred_at < \(query.until))
              AND (\(query.before)::bigint IS NULL OR id < \(query.before))
            ORDER BY id DESC
            LIMIT \(fetch)
            """, logger: logger)
        var events: [AuditEvent] = []
        for try await (id, time, actorID, actorName, actionName, target, before, after, address)
            in rows.decode((Int64, Date, UUID?, String, String, String?, String?, String?, String?).self) {
            guard let action = AuditAction(rawValue: actionName) else {
                throw AccountStoreError.corruptRow("audit entry \(id) has the unknown action \(actionName)")
            }
            events.append(.restored(
                id: id, time: time, actorUserID: actorID, actorName: actorName, action: action,
                target: target, before: before, after: after, clientAddress: address
            ))
        }
        let hasMore = events.count > query.limit
        if hasMore { events.removeLast() }
        return AuditPage(events: events, nextCursor: hasMore ? events.last?.id : nil)
    }
}
