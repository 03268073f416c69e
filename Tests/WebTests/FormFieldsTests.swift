import Testing
@testable import Web

@Suite struct FormFieldsTests {
    @Test func repeatedNamesKeepEveryValueInOrder() {
        let form = FormFields(encoded: "role=a&name=x&role=b&role=")
        #expect(form.values("role") == ["a", "b", ""])
        #expect(form.value("name") == "x")
        #expect(form.value("missing") == nil)
        #expect(form.values("missing").isEmpty)
    }

    @Test func plusIsASpaceAndPercentEscapesAreDecoded() {
        let form = FormFields(encoded: "q=a+b%2Bc%26d%3De&csrf_token=t%3D")
        #expect(form.value("q") == "a b+c&d=e")
        #expect(form.csrfToken == "t=")
    }

    @Test func malformedEscapesAndBareNamesAreKeptAsWritten() {
        let form = FormFields(encoded: "a=%zz&flag&&b=%E2%9C%93")
        #expect(form.value("a") == "%zz")
        #expect(form.value("flag") == "")
        #expect(form.value("b") == "✓")
    }
}
