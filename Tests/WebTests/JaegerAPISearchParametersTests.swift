import Foundation
import Storage
import Testing
import TraceModel
@testable import Web

/// Parsing of `GET /api/traces` parameters with Jaeger's semantics.
@Suite struct JaegerAPISearchParametersTests {
    static let now: UInt64 = 1_763_700_000_000_000_000

    static func parse(_ query: String) throws(JaegerError) -> JaegerSearchRequest {
        try JaegerSearchRequest(parameters: QueryParameters(query: query), nowUnixNano: now, maxLimit: 1_500)
    }

    static func message(_ query: String) -> String? {
        do {
            _ = try parse(query)
            return nil
        } catch {
            return error.msg
        }
    }

    @Test(arguments: [
        ("0", 0), ("1.2s", 1_200_000_000), ("100ms", 100_000_000), ("500us", 500_000), ("500µs", 500_000),
        ("250ns", 250), ("1h30m", 5_400_000_000_000), (".5s", 500_000_000), ("2m", 120_000_000_000),
    ] as [(String, UInt64)])
    func goDurationsAreParsedToNanoseconds(text: String, nanos: UInt64) {
        #expect(GoDuration.nanoseconds(text) == nanos)
    }

    @Test(arguments: ["", "10", "1.2", "ms", "1x", "-1s", "1..2s", "s1"])
    func malformedGoDurationsAreRefused(text: String) {
        #expect(GoDuration.nanoseconds(text) == nil)
    }

    @Test func defaultsAreOneHourLookbackAndTwentyTraces() throws {
        let request = try Self.parse("service=checkout")
        #expect(request.query.service == "checkout")
        #expect(request.query.startMaxUnixNano == Self.now)
        #expect(request.query.startMinUnixNano == Self.now - 3_600_000_000_000)
        #expect(request.query.limit == 20)
        #expect(request.query.attributes.isEmpty)
        #expect(request.traceIDs.isEmpty)
    }

    @Test func everyParameterIsParsedAsJaegerDoes() throws {
        let query = "service=checkout&operation=GET+%2Fcart&start=1763600000000000&end=1763690000000000"
            + "&minDuration=1.2s&maxDuration=5s&limit=50&lookback=custom"
        let request = try Self.parse(query)
        #expect(request.query.operation == "GET /cart")
        #expect(request.query.startMinUnixNano == 1_763_600_000_000_000_000)
        #expect(request.query.startMaxUnixNano == 1_763_690_000_000_000_000)
        #expect(request.query.durationMinNanos == 1_200_000_000)
        #expect(request.query.durationMaxNanos == 5_000_000_000)
        #expect(request.query.limit == 50)
    }

    @Test func lookbackAcceptsTheJaegerUIsDayUnits() throws {
        let request = try Self.parse("service=a&lookback=2d")
        #expect(request.query.startMinUnixNano == Self.now - 2 * 86_400_000_000_000)
    }

    @Test func tagsAreReadAsAJSONObject() throws {
        let tags = #"{"http.status_code":"500","error":"true"}"#
        let request = try Self.parse("service=a&tags=" + (tags.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        #expect(request.query.attributes == ["http.status_code": "500"])
        #expect(request.query.errorsOnly)
    }

    @Test func tagsAreReadInLogfmtWithQuotedValues() throws {
        let request = try Self.parse("service=a&tags=error%3Dtrue%20http.url%3D%22http%3A%2F%2Fx%2Fa%20b%22")
        #expect(request.query.attributes == ["http.url": "http://x/a b"])
        #expect(request.query.errorsOnly)
    }

    /// Jaeger UI's "errors only" sends `tags={"error":"true"}`; Skein keeps a span's error as its
    /// status, so the tag is the errors-only filter in every form and spelling of true Jaeger takes.
    @Test(arguments: [
        "tags=%7B%22error%22%3A%22true%22%7D", "tags=error%3Dtrue", "tag=error:true", "tags=error%3DTrue",
        "tags=error%3DTRUE", "tags=error%3Dt", "tags=error%3DT", "tags=error%3D1",
    ])
    func theErrorTagIsTheErrorsOnlyFilter(parameter: String) throws {
        let request = try Self.parse("service=a&" + parameter)
        #expect(request.query.errorsOnly)
        #expect(request.query.attributes.isEmpty)
    }

    @Test(arguments: ["tags=error%3Dfalse", "tags=error%3Dyes", "tags=%7B%22error%22%3A%22%22%7D"])
    func otherErrorTagValuesStayAttributeConditions(parameter: String) throws {
        let request = try Self.parse("service=a&" + parameter)
        #expect(!request.query.errorsOnly)
        #expect(request.query.attributes.keys.sorted() == ["error"])
    }

    @Test func repeatedTagParametersInKeyColonValueFormAreRead() throws {
        let request = try Self.parse("service=a&tag=db.system:postgresql&tag=peer.service:billing")
        #expect(request.query.attributes == ["db.system": "postgresql", "peer.service": "billing"])
    }

    @Test func repeatedTraceIDsAreCollectedAndServiceIsThenOptional() throws {
        let request = try Self.parse("traceID=463ac35c9f6413ad48485a3953bb6124&traceID=a2fb4a1d1a96d312")
        #expect(request.traceIDs == [
            TraceID(high: 0x463a_c35c_9f64_13ad, low: 0x4848_5a39_53bb_6124), TraceID(high: 0, low: 0xa2fb_4a1d_1a96_d312),
        ])
    }

    @Test func limitIsCappedByTheConfiguredMaximum() throws {
        #expect(try Self.parse("service=a&limit=100000").query.limit == 1_500)
        #expect(try Self.parse("service=a&limit=0").query.limit == 20)
    }

    @Test(arguments: [
        ("", "'service' is required"),
        ("service=a&minDuration=fast", "malformed 'minDuration'"),
        ("service=a&maxDuration=10", "malformed 'maxDuration'"),
        ("service=a&minDuration=2s&maxDuration=1s", "'maxDuration' should be greater than 'minDuration'"),
        ("service=a&start=yesterday", "malformed 'start'"),
        ("service=a&end=-5", "malformed 'end'"),
        ("service=a&start=20&end=10", "'start' must not be after 'end'"),
        ("service=a&limit=many", "malformed 'limit'"),
        ("service=a&limit=-1", "malformed 'limit'"),
        ("service=a&lookback=forever", "malformed 'lookback'"),
        ("service=a&tags=%7Bnot", "not valid JSON"),
        ("service=a&tags=%7B%22a%22%3A1%7D", "must be a string"),
        ("service=a&tags=justakey", "expected key=value"),
        ("service=a&tags=a%3D%22open", "unterminated quote"),
        ("service=a&tag=nocolon", "malformed 'tag'"),
        ("traceID=xyz", "malformed 'traceID'"),
    ])
    func badParametersAreRefusedWithAMessage(query: String, expected: String) {
        let message = Self.message(query)
        #expect(message?.contains(expected) == true, "\(query) → \(message ?? "accepted")")
    }
}
