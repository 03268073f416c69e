import Foundation

/// The audit log's before/after columns: compact JSON of the given fields, keys sorted; nil when
/// a value cannot be written as JSON.
enum AuditJSON {
    static func compact(_ fields: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
