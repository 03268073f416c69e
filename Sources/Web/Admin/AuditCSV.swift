import Accounts

/// The audit log as CSV (RFC 4180, CRLF line ends), safe to open in a spreadsheet.
///
/// Against CSV (formula) injection, a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
/// return, which some spreadsheets skip before looking for a formula) gets a leading `'`, so it is
/// shown as text and never evaluated. Cells holding a comma, quote or line break are quoted, with
/// quotes doubled.
enum AuditCSV {
    static let header = ["time", "actor", "action", "target", "before", "after", "client_address"]

    /// The header line and one line per event.
    static func document(_ events: [AuditEvent]) -> String {
        var text = line(header)
        for event in events { text += line(row(event)) }
        return text
    }

    static func row(_ event: AuditEvent) -> [String] {
        [AdminTime.text(event.time), event.actorName, event.action.rawValue, event.target ?? "",
         event.before ?? "", event.after ?? "", event.clientAddress ?? ""]
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// One cell, defused and quoted as needed.
    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, formulaTriggers.contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
}
