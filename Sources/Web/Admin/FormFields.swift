import Foundation
import Hummingbird

/// The fields of a posted HTML form (`application/x-www-form-urlencoded`), keeping every value of
/// a repeated name in order: a group of checkboxes named `role` posts `role=a&role=b`.
///
/// A missing field reads as nil (`value`) or empty (`values`); a body that is not a form reads as
/// an empty form, and a body larger than `maximumBodyBytes` is refused by `read(from:)`.
struct FormFields: Sendable, Equatable {
    private(set) var pairs: [(name: String, value: String)]

    /// Admin and account forms are small.
    static let maximumBodyBytes = 64 * 1024

    init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `name=value&…` with `+` as space and percent escapes; malformed escapes are kept as
    /// written rather than guessed at.
    init(encoded body: String) {
        pairs = body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (name, value)
        }
    }

    /// Reads and parses the request body.
    static func read(from request: Request) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: maximumBodyBytes)
        return FormFields(encoded: String(buffer: buffer))
    }

    /// The first value posted under `name`.
    func value(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value posted under `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The form's `csrf_token` field.
    var csrfToken: String? { value("csrf_token") }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}
