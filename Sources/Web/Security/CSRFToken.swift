import Crypto
import Foundation

/// Per-session form tokens against cross-site request forgery, for the login and admin forms.
///
/// A token is HMAC-SHA256 of a purpose (such as `"logout"` or `"admin.users"`) keyed with a
/// secret of the session, base64url without padding. The server stores nothing extra: it derives
/// the token again to check a submitted one, in constant time. Tokens of one session are useless
/// in another, and a token for one purpose does not pass for another. The session secret must be
/// random (32 bytes or more), belong to one session only and never reach the page itself (the
/// session's own random secret, or the raw session token held only in an `HttpOnly` cookie).
/// Before login, key it with a short-lived random pre-session cookie.
public struct CSRFToken: Sendable {
    /// The form field (and `X-CSRF-Token` header) a token travels in.
    public static var formField: String { "csrf_token" }

    private let secret: [UInt8]

    /// - Parameter sessionSecret: the session's secret bytes.
    public init(sessionSecret: some ContiguousBytes) {
        secret = sessionSecret.withUnsafeBytes { Array($0) }
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The token to put in a form for `purpose`.
    public func token(for purpose: String = "form") -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Self.message(purpose), using: key)
        return Self.base64URL(Data(mac))
    }

    /// Whether `submitted` is this session's token for `purpose`; `false` for `nil`, malformed or
    /// foreign tokens. The comparison takes the same time wherever the first difference is.
    public func isValid(_ submitted: String?, for purpose: String = "form") -> Bool {
        guard let submitted, let mac = Self.decodeBase64URL(submitted), mac.count == SHA256.byteCount else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.message(purpose), using: key)
    }

    /// Versioned and prefixed so these MACs can never be confused with other uses of the secret.
    private static func message(_ purpose: String) -> Data {
        Data("skein.csrf.v1:\(purpose)".utf8)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func decodeBase64URL(_ text: String) -> Data? {
        guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
