/// Why an account store refused a change.
public enum AccountStoreError: Error, Hashable, CustomStringConvertible {
    /// Another user or role already has this name (names are compared without regard to case).
    case nameTaken(String)
    /// Built-in roles cannot be changed or deleted.
    case builtInRole(String)
    /// A role id given to a user does not exist.
    case unknownRole
    /// A stored row could not be read back.
    case corruptRow(String)
    /// An audit event whose text was not sanitised (made with `AuditEvent.restored`, not `init`).
    case unsanitisedAuditEvent

    public var description: String {
        switch self {
        case .nameTaken(let name): return "the name \u{201C}\(name)\u{201D} is already taken; choose another"
        case .builtInRole(let name): return "the built-in role \u{201C}\(name)\u{201D} cannot be changed or deleted"
        case .unknownRole: return "one of the roles does not exist (it may have just been deleted); reload and try again"
        case .corruptRow(let detail): return "a stored account record could not be read: \(detail)"
        case .unsanitisedAuditEvent: return "an audit event with unsanitised text was refused; make events with AuditEvent.init"
        }
    }
}
