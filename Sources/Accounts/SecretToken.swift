import Crypto
import Foundation

/// A freshly generated secret (session cookie, API token, first-admin setup link) and the SHA-256
/// under which it is stored.
///
/// The secret is 32 random bytes in base64url after a readable prefix (`skein_ing_…`), so a leaked
/// token is recognisable in logs and secret scanners. Only `hash` is ever stored; a presented secret
/// is hashed and looked up, or compared with `matches(_:hash:)` in constant time.
public struct SecretToken: Sendable {
    /// What the secret is for; the raw value is its prefix.
    public enum Kind: String, Sendable, CaseIterable {
        case ingest = "skein_ing_"
        case read = "skein_read_"
        case session = "skein_ses_"
        case setup = "skein_setup_"
    }

    public let kind: Kind
    /// The secret to hand out once; never stored or logged.
    public let value: String

    /// Number of random bytes in a secret.
    public static let randomByteCount = 32

    /// A new secret of `kind` from the system's cryptographic random source.
    public static func generate(_ kind: Kind) -> SecretToken {
        let key = SymmetricKey(size: .bits256)
        let random = key.withUnsafeBytes { Data($0) }
        return SecretToken(kind: kind, value: kind.rawValue + base64URL(random))
    }

    /// SHA-256 of the secret: the only form that is stored.
    public var hash: [UInt8] { Self.hash(value) }

    /// SHA-256 of a presented secret, for looking it up.
    public static func hash(_ presented: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(presented.utf8)))
    }

    /// The kind a presented secret claims by its prefix, or nil when it has none of Skein's prefixes.
    public static func kind(of presented: String) -> Kind? {
        Kind.allCases.first { presented.hasPrefix($0.rawValue) }
    }

    /// Whether `presented` hashes to `hash`, taking the same time wherever the two differ.
    public static func matches(_ presented: String, hash: [UInt8]) -> Bool {
        constantTimeEquals(Self.hash(presented), hash)
    }

    /// Byte-wise equality whose time depends only on the lengths, not on where the bytes differ.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
