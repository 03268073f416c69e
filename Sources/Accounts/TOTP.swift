import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1, 30-second
/// steps, 6 digits, accepting the step before and after to allow for clock drift.
///
/// `matchingStep` returns the step a code belongs to so the caller can store it and refuse the
/// same code (or an older one) a second time.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let period: TimeInterval
    /// Steps either side of the current one that are also accepted.
    public let allowedDrift: Int64

    public init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30, allowedDrift: Int64 = 1) {
        self.secret = secret
        self.digits = min(max(digits, 6), 10)
        self.period = period
        self.allowedDrift = allowedDrift
    }

    /// From a base32 secret as stored in `User.totpSecret`; nil when it is not base32 or empty.
    public init?(base32Secret: String) {
        guard let bytes = Base32.decode(base32Secret), !bytes.isEmpty else { return nil }
        self.init(secret: bytes)
    }

    /// A new random 160-bit secret (the size RFC 4226 recommends for SHA-1), in base32.
    public static func generateSecret() -> String {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: 160))
        return Base32.encode(key.withUnsafeBytes { Array($0) })
    }

    /// The step `time` falls in: whole periods since 1970.
    public func step(at time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for `time`, zero-padded to `digits`.
    public func code(at time: Date) -> String {
        code(forStep: step(at: time))
    }

    /// The code of one step (RFC 4226 HOTP with the step as counter).
    public func code(forStep step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(UInt64(binary) % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The step within the allowed drift of `time` whose code is `code` (spaces ignored), or nil.
    /// Every candidate is compared, in constant time, so the answer's timing says nothing.
    public func matchingStep(for code: String, at time: Date) -> Int64? {
        let presented = Array(code.filter { $0 != " " }.utf8)
        let current = step(at: time)
        var match: Int64?
        for candidate in (current - allowedDrift)...(current + allowedDrift) {
            let expected = Array(self.code(forStep: candidate).utf8)
            if SecretToken.constantTimeEquals(presented, expected), match == nil { match = candidate }
        }
        return match
    }

    /// Whether `code` is valid at `time`. Prefer `matchingStep` and refuse reused steps.
    public func verify(_ code: String, at time: Date) -> Bool {
        matchingStep(for: code, at: time) != nil
    }

    /// The `otpauth://` address an authenticator app reads from a QR code.
    public func provisioningURI(account: String, issuer: String = "Skein") -> String {
        var components = URLComponents()
        components.scheme = "otpauth"
        components.host = "totp"
        components.path = "/\(issuer):\(account)"
        components.queryItems = [
            URLQueryItem(name: "secret", value: Base32.encode(secret)),
            URLQueryItem(name: "issuer", value: issuer),
            URLQueryItem(name: "algorithm", value: "SHA1"),
            URLQueryItem(name: "digits", value: String(digits)),
            URLQueryItem(name: "period", value: String(Int(period))),
        ]
        return components.string ?? ""
    }
}
