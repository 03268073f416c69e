import Foundation
import Testing
import TraceModel
@testable import Storage

/// The in-place attribute reader (`StoredJSON.Parser.parseAttributes`) reads what the JSON-tree
/// reader (`StoredAttributes.attributes(StoredJSON.parse(_:))`) reads, in jsonb's key order too.
@Suite struct StoredAttributesReadingTests {
    func viaTree(_ text: String) throws -> [Attribute] {
        try StoredAttributes.attributes(StoredJSON.parse(text))
    }

    @Test func everyValueTypeReadsAsTheTreeReaderReadsIt() throws {
        let texts = [
            "{}",
            #"{"a": 1, "b": -9223372036854775808, "c": 9223372036854775807, "d": 9223372036854775808}"#,
            #"{"e": 1.0, "f": 0.25, "g": -0, "h": 1e5, "i": {"$d": "1e+300"}, "j": {"$d": "-inf"}, "k": {"$d": "-0.0"}}"#,
            #"{"s": "plain", "t": "esc \" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00", "u": "", "n": null, "y": true, "z": false}"#,
            #"{"bytes": {"$b": "AAEC+g=="}, "list": [1, "x", [true, null], {"$d": "1e-07"}], "map": {"$kv": {"z": 1, "a": {"$kv": {}}}}}"#,
            // jsonb order (shorter keys first), and keys repeated out of order: sorted, the last value kept.
            #"{"zz": 1, "aaa": 2, "b": 3}"#,
            #"{"k": 1, "a": 2, "k": 3}"#,
        ]
        for text in texts {
            let expected = try viaTree(text)
            #expect(try StoredAttributes.decode(text) == expected, "\(text)")
        }
        #expect(try StoredAttributes.decode(#"{"k": 1, "a": 2, "k": 3}"#) == [Attribute("a", .int(2)), Attribute("k", .int(3))])
    }

    @Test func writtenAttributesReadBackExactly() throws {
        var attributes: [Attribute] = []
        for index in 0..<40 {
            let value: AttributeValue = switch index % 8 {
            case 0: .string("value \(index) \u{1}\"")
            case 1: .int(Int64(index) * -7_919_000_000_001)
            case 2: .double(Double(index) / 7)
            case 3: .double(index.isMultiple(of: 2) ? 1e300 : -0.0)
            case 4: .bool(index.isMultiple(of: 3))
            case 5: .bytes(Array(UInt8(0)...UInt8(index)))
            case 6: .array([.int(1), .string("two"), .empty])
            default: .keyValueList([Attribute("inner", .double(0.5))])
            }
            attributes.append(Attribute("key.\(40 - index)", value))
        }
        let decoded = try StoredAttributes.decode(StoredAttributes.encode(attributes))
        #expect(decoded == attributes.sorted { $0.key < $1.key })
    }

    @Test func malformedTextIsRefused() {
        for text in ["", "[]", "{", #"{"a"}"#, #"{"a": 1,}"#, #"{"a": {"$x": 1}}"#, #"{"a": {"$d": "1", "$d": "2"}}"#,
                     #"{"a": {"$b": "***"}}"#, #"{"a": 1} x"#, #"{"a": "\u12"}"#, #"{"a": 1-2}"#] {
            #expect(throws: StoredJSONError.self, "\(text)") { try StoredAttributes.decode(text) }
        }
    }
}
