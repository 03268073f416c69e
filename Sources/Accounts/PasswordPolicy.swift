/// What a new password must be: 12 to 128 characters (unicode scalars, so every script counts the
/// same), not one of the most common passwords, and not the user's own name.
///
/// Common passwords and names are compared without regard to case, and also with trailing digits,
/// spaces and punctuation removed (`Password2024!` is still `password`); a password of only one or two
/// different characters counts as common too.
public struct PasswordPolicy: Sendable, Hashable {
    public var minimumLength: Int
    public var maximumLength: Int

    public static let standard = PasswordPolicy(minimumLength: 12, maximumLength: 128)

    public init(minimumLength: Int, maximumLength: Int) {
        self.minimumLength = minimumLength
        self.maximumLength = max(minimumLength, maximumLength)
    }

    /// Why a password is refused.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case common
        case containsName

        /// A sentence the person choosing the password can act on.
        public var description: String {
            switch self {
            case .tooShort(let minimum):
                return "Use at least \(minimum) characters. A few unrelated words make a long password that is easy to remember."
            case .tooLong(let maximum):
                return "Use at most \(maximum) characters."
            case .common:
                return "This password is one of the most common ones and is guessed first. Choose another."
            case .containsName:
                return "Do not use your user name or display name as the password. Choose another."
            }
        }
    }

    /// The first problem with `password` for the given user, or nil when it is acceptable.
    public func problem(with password: String, userName: String, displayName: String? = nil) -> Problem? {
        let length = password.unicodeScalars.count
        if length < minimumLength { return .tooShort(minimum: minimumLength) }
        if length > maximumLength { return .tooLong(maximum: maximumLength) }

        let lowered = password.lowercased()
        let core = Self.withoutTrailingDigitsAndPunctuation(lowered)
        if CommonPasswords.all.contains(lowered) || CommonPasswords.all.contains(core) { return .common }
        // One or two characters over and over (`aaaaaaaaaaaa`, `abababababab`) is guessed as fast.
        if Set(lowered.unicodeScalars).count <= 2 { return .common }

        let names = [userName, displayName ?? ""]
            .map { $0.lowercased() }
            .filter { !$0.isEmpty }
        for name in names {
            if lowered == name || core == name || core == Self.withoutTrailingDigitsAndPunctuation(name) { return .containsName }
            // The name with spaces removed: "Ada Lovelace" as "adalovelace1234".
            let squeezed = name.filter { !$0.isWhitespace }
            if !squeezed.isEmpty, core == squeezed { return .containsName }
        }
        return nil
    }

    static func withoutTrailingDigitsAndPunctuation(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let last = scalars.last,
              last.properties.numericType != nil || last.properties.isWhitespace || last.properties.generalCategory.isPunctuationOrSymbol {
            scalars.removeLast()
        }
        return String(scalars)
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
