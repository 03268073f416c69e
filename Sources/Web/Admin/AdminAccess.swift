import Accounts
import Foundation
import Hummingbird

/// What an admin page needs to know about the request it answers, supplied by whoever registers
/// its routes (the UI router passes closures reading `SkeinRequestContext`).
public struct AdminAccess<Context: RequestContext>: Sendable {
    /// The principal acting, nil for an anonymous request.
    public let principal: @Sendable (Context) -> Principal?
    /// The session's form-token source, nil when the request has no browser session (forms are
    /// then refused).
    public let csrf: @Sendable (Context) -> CSRFToken?
    /// The client's address for the audit log.
    public let clientAddress: @Sendable (Context) -> String?
    /// The page header for the request (signed-in name, sign-out form, links the principal may follow).
    public let chrome: @Sendable (Context) -> PageChrome

    public init(
        principal: @escaping @Sendable (Context) -> Principal?,
        csrf: @escaping @Sendable (Context) -> CSRFToken?,
        clientAddress: @escaping @Sendable (Context) -> String? = { _ in nil },
        chrome: @escaping @Sendable (Context) -> PageChrome = { _ in .anonymous }
    ) {
        self.principal = principal
        self.csrf = csrf
        self.clientAddress = clientAddress
        self.chrome = chrome
    }

    /// The principal when it holds `permission`; otherwise the 403 to answer (route guards refuse
    /// such requests first; this check keeps the page safe wherever it is mounted).
    func require(_ permission: Permission, in context: Context) -> Result<Principal, AdminRefusal> {
        guard let principal = principal(context), principal.can(permission) else { return .failure(.forbidden) }
        return .success(principal)
    }

    /// The session's form token for `purpose`, empty when the request has no browser session.
    func formToken(for purpose: String, in context: Context) -> String {
        csrf(context)?.token(for: purpose) ?? ""
    }

    /// The principal holding `permission` and the posted form, once the form carries the
    /// session's token for `purpose`; otherwise the 403 to answer (`.forbidden` before the body
    /// is read, `.badFormToken` after).
    func post<Form: PostedForm>(
        _ request: Request, as form: Form.Type, requiring permission: Permission, purpose: String, in context: Context
    ) async throws -> Result<(principal: Principal, form: Form), AdminRefusal> {
        guard case .success(let principal) = require(permission, in: context) else { return .failure(.forbidden) }
        let form = try await Form.read(from: request)
        guard let csrf = csrf(context), csrf.isValid(form.csrfToken, for: purpose) else { return .failure(.badFormToken) }
        return .success((principal, form))
    }
}
