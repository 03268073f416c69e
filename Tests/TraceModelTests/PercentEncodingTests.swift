import Testing
import TraceModel

/// Query values as the pages write them and the benchmark sends them.
@Suite struct PercentEncodingTests {
    @Test func everythingButUnreservedCharactersIsEncoded() {
        #expect(PercentEncoding.queryValue("GET /product/{id}") == "GET%20%2Fproduct%2F%7Bid%7D")
        #expect(PercentEncoding.queryValue("{\"error\":\"true\"}") == "%7B%22error%22%3A%22true%22%7D")
        #expect(PercentEncoding.queryValue("api-gateway_1.0~") == "api-gateway_1.0~")
        #expect(PercentEncoding.queryValue("a\u{1}é=&+") == "a%01%C3%A9%3D%26%2B")
        #expect(PercentEncoding.queryValue("") == "")
    }
}
