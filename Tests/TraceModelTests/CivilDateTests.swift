import TraceModel
import XCTest

final class CivilDateTests: XCTestCase {
    func testDayNumbersBecomeUTCDatesAcrossEpochsAndLeapDays() {
        XCTAssertEqual(CivilDate(daysSinceEpoch: 0).text(), "1970-01-01")
        XCTAssertEqual(CivilDate(daysSinceEpoch: -1).text(), "1969-12-31")
        XCTAssertEqual(CivilDate(daysSinceEpoch: 11_016).text(), "2000-02-29")
        XCTAssertEqual(CivilDate(daysSinceEpoch: 20_412).text(separator: ""), "20251120")
        XCTAssertEqual(CivilDate(daysSinceEpoch: 106_751).text(), "2262-04-11")
    }
}
