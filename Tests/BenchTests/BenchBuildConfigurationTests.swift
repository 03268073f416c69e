import Testing
@testable import Bench

@Suite struct BenchBuildConfigurationTests {
    @Test func testsRunInTheDebugConfiguration() {
        #if DEBUG
        #expect(BenchBuildConfiguration.current == .debug)
        #endif
    }
}
