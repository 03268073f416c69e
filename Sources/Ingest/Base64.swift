import Foundation

/// Base64 as proto3 JSON accepts it: standard or URL-safe alphabet, padding optional.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        if let data = Data(base64Encoded: text) { return [UInt8](data) }
        var normalized = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        let remainder = normalized.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { normalized += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: normalized).map { [UInt8]($0) }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
