/// Why migrating the database failed; the description names the file and statement to look at.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case unreadableDirectory(directory: String, reason: String)
    case badFileName(fileName: String)
    case duplicateVersion(version: Int, fileNames: [String])
    /// A statement failed; the file's transaction was rolled back, so nothing of it was applied.
    case statementFailed(fileName: String, statementNumber: Int, line: Int, statement: String, serverMessage: String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let directory, let reason):
            return "cannot read the migrations folder \(directory): \(reason)"
        case .badFileName(let fileName):
            return "the migration file \(fileName) is not named like 0001_description.sql"
        case .duplicateVersion(let version, let fileNames):
            return "migration number \(version) is used by more than one file: \(fileNames.joined(separator: ", "))"
        case .statementFailed(let fileName, let statementNumber, let line, let statement, let serverMessage):
            return """
                migration \(fileName) failed at statement \(statementNumber) (line \(line)): \(serverMessage)
                statement: \(Self.excerpt(statement))
                The migration was rolled back; nothing from \(fileName) was applied.
                """
        }
    }

    public var fileName: String? {
        switch self {
        case .badFileName(let fileName), .statementFailed(let fileName, _, _, _, _): return fileName
        case .unreadableDirectory, .duplicateVersion: return nil
        }
    }

    private static func excerpt(_ statement: String) -> String {
        let oneLine = statement.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > 300 ? String(oneLine.prefix(300)) + "…" : oneLine
    }
}
