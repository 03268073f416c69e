import Foundation
import Hummingbird

/// The session and pre-session cookies of the UI listener and how they are written.
///
/// Under TLS the session cookie is `__Host-skein_session` (browsers then insist on `Secure`,
/// `Path=/` and no `Domain`, so no other host or plain-HTTP page can set or read it); otherwise
/// `skein_session`. Both are `HttpOnly` and `SameSite=Lax`.
public struct SessionCookie: Sendable {
    /// Whether the listener serves HTTPS.
    public let servesTLS: Bool

    public init(servesTLS: Bool) {
        self.servesTLS = servesTLS
    }

    /// The session cookie's name.
    public var name: String { servesTLS ? "__Host-skein_session" : "skein_session" }

    /// The pre-session cookie keying the login form's CSRF token.
    public var preSessionName: String { servesTLS ? "__Host-skein_csrf" : "skein_csrf" }

    /// `Set-Cookie` value handing out the session secret.
    public func setting(_ secret: String) -> String {
        cookie(name: name, value: secret, maxAge: nil)
    }

    /// `Set-Cookie` value removing the session cookie.
    public var clearing: String {
        cookie(name: name, value: "", maxAge: 0)
    }

    /// `Set-Cookie` value removing the pre-session cookie (after sign-in).
    public var clearingPreSession: String {
        cookie(name: preSessionName, value: "", maxAge: 0)
    }

    /// `Set-Cookie` value for a pre-session secret, for one hour.
    public func settingPreSession(_ secret: String) -> String {
        cookie(name: preSessionName, value: secret, maxAge: 3600)
    }

    /// The value of cookie `name` in the request's `Cookie` headers, or nil.
    public static func value(named name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<equals] == name {
                    return String(trimmed[trimmed.index(after: equals)...])
                }
            }
        }
        return nil
    }

    private func cookie(name: String, value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Lax"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if servesTLS { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}
