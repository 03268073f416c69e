import Foundation
import Hummingbird

/// The fields the admin token forms post (`application/x-www-form-urlencoded`); a missing field
/// is empty.
struct AdminForm: Decodable, Sendable {
    var csrfToken: String?
    var name: String?
    var kind: String?
    /// Days until the token expires; empty for never.
    var expiresInDays: String?
    /// Service patterns of a read token, separated by commas; empty for every service.
    var services: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, services
        case csrfToken = "csrf_token"
        case expiresInDays = "expires_in_days"
    }

    /// Forms are small; a larger body is refused rather than read.
    static let maximumBodyBytes = 16 * 1024

    /// Reads and decodes the request's form body; an empty form when it is not a valid one.
    static func read(from request: Request) async throws -> AdminForm {
        let buffer = try await request.body.collect(upTo: maximumBodyBytes)
        return (try? URLEncodedFormDecoder().decode(AdminForm.self, from: String(buffer: buffer))) ?? AdminForm()
    }
}
