import Hummingbird

/// A form body an admin or account page reads from a POST, carrying the session's `csrf_token`.
protocol PostedForm: Sendable {
    /// The form's `csrf_token` field.
    var csrfToken: String? { get }
    /// Reads the request's form body.
    static func read(from request: Request) async throws -> Self
}

extension AdminForm: PostedForm {}
extension FormFields: PostedForm {}
