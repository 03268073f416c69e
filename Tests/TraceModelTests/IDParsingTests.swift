import TraceModel
import XCTest

final class IDParsingTests: XCTestCase {
    func testTraceIDHexRoundTripsThroughBytes() throws {
        let id = try XCTUnwrap(TraceID(hex: "5b8efff798038103d269b633813fc60c"))
        XCTAssertEqual(id.hex, "5b8efff798038103d269b633813fc60c")
        XCTAssertEqual(TraceID(bytes: id.bytes), id)
        XCTAssertEqual(TraceID(hex: "5B8EFFF798038103D269B633813FC60C"), id, "upper case is accepted")
    }

    func testShortTraceIDsAreLeftPaddedAsZipkinSends() throws {
        let id = try XCTUnwrap(TraceID(hex: "5af7183fb1d4cf5f"))
        XCTAssertEqual(id, TraceID(high: 0, low: 0x5af7183fb1d4cf5f))
        XCTAssertEqual(TraceID(hex: "1"), TraceID(high: 0, low: 1))
        XCTAssertEqual(TraceID(hex: "10000000000000000"), TraceID(high: 1, low: 0))
    }

    func testMalformedTraceIDsAreRefused() {
        for text in ["", "+5af7183fb1d4cf5f", "-1", "xyz", "5b8efff798038103d269b633813fc60c0", "5b8e fff7", "é"] {
            XCTAssertNil(TraceID(hex: text), text)
        }
        XCTAssertFalse(TraceID(high: 0, low: 0).isValid)
    }

    func testSpanIDHexRoundTripsAndRefusesSignsAndOverlongText() throws {
        let id = try XCTUnwrap(SpanID(hex: "00f067aa0ba902b7"))
        XCTAssertEqual(id.hex, "00f067aa0ba902b7")
        XCTAssertEqual(SpanID(bytes: id.bytes), id)
        XCTAssertEqual(SpanID(hex: "FFFFFFFFFFFFFFFF"), SpanID(.max))
        for text in ["", "+ff", "00f067aa0ba902b70", "0x12", "g"] {
            XCTAssertNil(SpanID(hex: text), text)
        }
    }
}
