import Foundation

/// Reads `SKEIN_*` environment variables that provide flag defaults. A variable that is set but
/// cannot be read stops the program with a message naming it, rather than silently meaning the
/// default (`SKEIN_UI_PORT=abc` must not quietly serve on 16686).
enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func number<Value: LosslessStringConvertible>(_ name: String, default fallback: Value) -> Value {
        guard let text = string(name) else { return fallback }
        guard let value = Value(text.trimmingCharacters(in: .whitespaces)) else {
            refuse(name, text, expected: "a number")
        }
        return value
    }

    static func bool(_ name: String) -> Bool {
        guard let text = string(name)?.lowercased() else { return false }
        if ["1", "true", "yes", "on"].contains(text) { return true }
        if ["0", "false", "no", "off"].contains(text) { return false }
        refuse(name, text, expected: "1/true/yes/on or 0/false/no/off")
    }

    private static func refuse(_ name: String, _ text: String, expected: String) -> Never {
        FileHandle.standardError.write(Data("skein: \(name)=\(text) is not \(expected); unset it or fix its value\n".utf8))
        exit(64)  // EX_USAGE
    }
}
