/// How the running executable was compiled: benchmark figures from a debug build are not
/// representative, and every report says which one produced it.
public enum BenchBuildConfiguration: String, Sendable, Codable {
    case debug
    case release

    /// The configuration of this very binary.
    public static var current: BenchBuildConfiguration {
        #if DEBUG
        return .debug
        #else
        return .release
        #endif
    }
}
