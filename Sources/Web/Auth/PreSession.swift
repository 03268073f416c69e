import Accounts
import Foundation
import Hummingbird

/// The browser's pre-session secret, which keys the CSRF tokens of the forms shown before anyone
/// is signed in (login, first-admin setup): the one the request's cookie holds, or a new one with
/// the `Set-Cookie` value that gives it to the browser.
struct PreSession {
    let secret: String
    /// The `Set-Cookie` value for a newly made secret; nil when the browser's is kept.
    let setCookie: String?

    /// Keeps the request's secret unless `fresh`, or it is missing, empty or over 100 characters.
    init(request: Request, cookie: SessionCookie, fresh: Bool) {
        if !fresh, let kept = SessionCookie.value(named: cookie.preSessionName, in: request), !kept.isEmpty, kept.count <= 100 {
            secret = kept
            setCookie = nil
        } else {
            let made = SecretToken.generate(.session).value
            secret = made
            setCookie = cookie.settingPreSession(made)
        }
    }

    /// The form token for `purpose` keyed by this secret.
    func csrfToken(for purpose: String) -> String {
        CSRFToken(sessionSecret: Data(secret.utf8)).token(for: purpose)
    }
}
