/// Percent-encoding of a URL query parameter value (RFC 3986): every byte of the UTF-8 text but
/// the unreserved characters (`A–Z a–z 0–9 - . _ ~`) becomes `%XX`. Shared by the pages (links
/// they write) and the benchmark (requests it sends), which must agree.
public enum PercentEncoding {
    public static func queryValue(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (byte < 16 ? "0" + hex : hex)
            }
        }
        return result
    }
}
