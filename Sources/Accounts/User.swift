import Foundation

/// A person who signs in to Skein.
public struct User: Sendable, Hashable, Identifiable {
    public var id: UUID
    /// The sign-in name, unique without regard to case.
    public var name: String
    public var displayName: String
    /// `PasswordHasher` output; never the password.
    public var passwordHash: String
    public var roleIDs: Set<UUID>
    /// A disabled user cannot sign in and their sessions and tokens stop working.
    public var isDisabled: Bool
    public var createdAt: Date
    /// Base32 TOTP secret when two-step sign-in is on.
    public var totpSecret: String?

    public init(
        id: UUID = UUID(), name: String, displayName: String, passwordHash: String,
        roleIDs: Set<UUID> = [], isDisabled: Bool = false, createdAt: Date = Date(), totpSecret: String? = nil
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roleIDs = roleIDs
        self.isDisabled = isDisabled
        self.createdAt = createdAt
        self.totpSecret = totpSecret
    }

    /// Longest sign-in name accepted.
    public static let maximumNameLength = 64

    /// Why `name` cannot be a sign-in name, or nil when it can: 1…64 ASCII letters, digits, `.`,
    /// `_`, `-` or `@`. ASCII only, so no two names look alike (a Cyrillic `а` in `аdmin`) and a name
    /// reads the same in the audit log as on the page; the display name may use any script.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "Enter a user name." }
        if name.unicodeScalars.count > maximumNameLength {
            return "Use at most \(maximumNameLength) characters for the user name."
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || ".-_@".unicodeScalars.contains(scalar)
        }
        return allowed ? nil : "Use only letters A to Z, digits and . _ - @ in the user name."
    }
}
