/// Why a benchmark's child `skein serve` could not be started or used.
public enum BenchServerError: Error, CustomStringConvertible {
    case noFreePort
    case executableNotFound
    case exitedEarly(status: Int32, logFile: String)
    case notReady(seconds: Int, logFile: String)

    public var description: String {
        switch self {
        case .noFreePort: return "no free TCP port on 127.0.0.1"
        case .executableNotFound: return "cannot find this skein executable (/proc/self/exe) to start the server"
        case .exitedEarly(let status, let logFile): return "skein serve exited with status \(status) before it was ready; its log: \(logFile)"
        case .notReady(let seconds, let logFile): return "skein serve was not ready after \(seconds) s; its log: \(logFile)"
        }
    }
}
