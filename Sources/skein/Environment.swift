import Foundation

/// Reads `SKEIN_*` environment variables that provide flag defaults.
enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ name: String, default fallback: Int) -> Int {
        string(name).flatMap(Int.init) ?? fallback
    }

    static func bool(_ name: String) -> Bool {
        guard let value = string(name)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}
