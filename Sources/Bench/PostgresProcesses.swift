import Foundation

/// Finds the embedded PostgreSQL of a Skein data folder: its postmaster (from `postmaster.pid`)
/// and the backends and helpers it forked (processes whose parent is the postmaster).
public enum PostgresProcesses {
    /// The postmaster's pid from `<data>/postgres/postmaster.pid`, when the server is running.
    public static func postmasterPID(dataDirectory: String) -> Int32? {
        let file = (dataDirectory as NSString).appendingPathComponent("postgres/postmaster.pid")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let first = text.split(separator: "\n").first,
              let pid = Int32(first.trimmingCharacters(in: .whitespaces)),
              kill(pid, 0) == 0
        else { return nil }
        return pid
    }

    /// The postmaster and all its children, as found in /proc now.
    public static func all(postmaster: Int32) -> [Int32] {
        [postmaster] + ProcessStat.childrenOf(postmaster)
    }
}
