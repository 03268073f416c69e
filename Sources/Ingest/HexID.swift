import TraceModel

/// Strict parsing of hex ids as OTLP/JSON and Zipkin send them: only hex digits (either case),
/// with the lengths each format allows.
enum HexID {
    static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
        }
    }

    /// A trace id of `1...maxDigits` hex digits (shorter ones are left-padded), not all zero.
    static func traceID(_ text: String, digits: ClosedRange<Int>) -> TraceID? {
        guard digits.contains(text.utf8.count), isHex(text), let id = TraceID(hex: text), id.isValid else { return nil }
        return id
    }

    /// A span id with a digit count in `digits`, not all zero.
    static func spanID(_ text: String, digits: ClosedRange<Int>) -> SpanID? {
        guard digits.contains(text.utf8.count), isHex(text), let id = SpanID(hex: text), id.isValid else { return nil }
        return id
    }

    /// A parent span id: nil when empty or all zero (a root span); throws an invalid-parent
    /// rejection with `detail` when not hex with a digit count in `digits`.
    static func parentSpanID(
        _ text: String, digits: ClosedRange<Int>, detail: @autoclosure () -> String
    ) throws(InvalidSpan) -> SpanID? {
        if text.isEmpty { return nil }
        guard digits.contains(text.utf8.count), isHex(text), let id = SpanID(hex: text) else {
            throw InvalidSpan(.invalidParentSpanID(detail()))
        }
        return id.isValid ? id : nil
    }
}
