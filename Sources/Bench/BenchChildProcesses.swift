import Foundation
import Synchronization

/// Every child process the benchmark started and has not stopped yet, so Ctrl-C (SIGINT) and
/// SIGTERM stop them too: `installSignalHandlers()` terminates them all (SIGTERM, SIGKILL after
/// the grace time), removes the temporary folders registered for removal, and exits with status 130.
public enum BenchChildProcesses {
    private static let running = Mutex<[Int32: TimeInterval]>([:])
    private static let foldersToRemove = Mutex<Set<String>>([])
    private static let handlers = Mutex<[any DispatchSourceSignal]>([])

    /// Registers a child with the grace time it gets between SIGTERM and SIGKILL.
    public static func register(pid: Int32, graceSeconds: TimeInterval) {
        running.withLock { $0[pid] = graceSeconds }
    }

    public static func unregister(pid: Int32) {
        running.withLock { _ = $0.removeValue(forKey: pid) }
    }

    /// A temporary folder to delete when the benchmark is interrupted (after its children stopped).
    public static func removeOnInterrupt(folder: String) {
        foldersToRemove.withLock { _ = $0.insert(folder) }
    }

    public static func keepOnInterrupt(folder: String) {
        foldersToRemove.withLock { _ = $0.remove(folder) }
    }

    /// SIGTERM to `pid`, then SIGKILL when it is still there after `graceSeconds`; waits for it.
    /// Returns true when it ended by itself (no SIGKILL needed).
    @discardableResult
    public static func terminate(pid: Int32, graceSeconds: TimeInterval, isRunning: () -> Bool) -> Bool {
        guard isRunning() else { return true }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(graceSeconds)
        while isRunning() && Date() < deadline { usleep(50_000) }
        guard isRunning() else { return true }
        kill(pid, SIGKILL)
        while isRunning() { usleep(20_000) }
        return false
    }

    /// On SIGINT or SIGTERM: stop every registered child, then exit 130.
    public static func installSignalHandlers() {
        handlers.withLock { installed in
            guard installed.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    let children = running.withLock { $0 }
                    for (pid, _) in children { kill(pid, SIGTERM) }
                    for (pid, grace) in children {
                        terminate(pid: pid, graceSeconds: grace) { kill(pid, 0) == 0 && !isZombie(pid) }
                    }
                    for folder in foldersToRemove.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: folder) }
                    exit(130)
                }
                source.resume()
                installed.append(source)
            }
        }
    }

    /// A child that exited but was not reaped yet still answers `kill(pid, 0)`.
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
