import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password for the command line: from the terminal without echo, asked twice, when
/// stdin is a terminal; otherwise one line from stdin (for scripts: `echo "$PW" | skein user create …`).
enum PasswordInput {
    enum Failure: Error, CustomStringConvertible {
        case noInput
        case mismatch

        var description: String {
            switch self {
            case .noInput: return "No password was given on standard input."
            case .mismatch: return "The two passwords differ."
            }
        }
    }

    static func read(prompt: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else { throw Failure.noInput }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        let first = try readHidden(prompt: prompt)
        let second = try readHidden(prompt: "Again: ")
        guard first == second else { throw Failure.mismatch }
        return first
    }

    /// One line from the terminal with echo off; the terminal's settings are restored afterwards.
    private static func readHidden(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        let hasSettings = tcgetattr(STDIN_FILENO, &original) == 0
        if hasSettings {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if hasSettings { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw Failure.noInput }
        return line
    }
}
