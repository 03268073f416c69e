import Testing
@testable import Web

@Suite struct ServicePatternListTests {
    @Test func patternsAreSplitAtCommasAndLineBreaksTrimmedAndBlanksDropped() {
        #expect(ServicePatternList.parse(" checkout, payments-*\n\n cart ,") == ["checkout", "payments-*", "cart"])
        #expect(ServicePatternList.parse("").isEmpty)
    }

    @Test func tooManyTooLongOrInvisibleCharactersAreRefusedForRolesAndTokensAlike() {
        #expect(ServicePatternList.problem(with: ["checkout", "pay*"]) == nil)
        #expect(ServicePatternList.problem(with: (0...50).map { "s\($0)" }) != nil)
        #expect(ServicePatternList.problem(with: [String(repeating: "a", count: 201)]) != nil)
        #expect(ServicePatternList.problem(with: ["check\u{202E}out"]) != nil)
        #expect(ServicePatternList.problem(with: ["line\u{1B}[31m"]) != nil)
    }
}
