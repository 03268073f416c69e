import Foundation
import Hummingbird

/// The fields the sign-in, sign-out and setup forms post (`application/x-www-form-urlencoded`).
/// Every field is optional: a missing one is treated as empty.
struct LoginForm: Decodable, Sendable {
    var username: String?
    var password: String?
    var confirmation: String?
    var displayName: String?
    var csrfToken: String?
    var next: String?
    /// The authenticator's code, for users with two-step sign-in.
    var code: String?

    enum CodingKeys: String, CodingKey {
        case username, password, confirmation, next, code
        case displayName = "display_name"
        case csrfToken = "csrf_token"
    }

    /// Forms are small; a larger body is refused rather than read.
    static let maximumBodyBytes = 16 * 1024

    /// Reads and decodes the request's form body; an empty form when it is not a valid one.
    static func read(from request: Request) async throws -> LoginForm {
        let buffer = try await request.body.collect(upTo: maximumBodyBytes)
        let text = String(buffer: buffer)
        return (try? URLEncodedFormDecoder().decode(LoginForm.self, from: text)) ?? LoginForm()
    }

    /// `text` percent-encoded for a query value (everything but unreserved characters escaped).
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
