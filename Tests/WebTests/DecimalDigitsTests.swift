import Testing
@testable import Web

/// `DecimalDigits` writes what `String(describing:)` writes, for every length of number.
struct DecimalDigitsTests {
    @Test(arguments: [UInt64(0), 7, 10, 99, 100, 1_234_567_890, UInt64(Int64.max), UInt64.max])
    func digitsAreTheDecimalText(value: UInt64) {
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        DecimalDigits.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(value))
    }

    @Test func everyPowerOfTenAndTheNumberBeforeIt() {
        var power: UInt64 = 1
        for _ in 0..<19 {
            for value in [power - 1, power] {
                var bytes: [UInt8] = []
                DecimalDigits.append(value, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == String(value))
            }
            power *= 10
        }
    }
}
