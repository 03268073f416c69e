/// One pre-encoded request body whose trace and span ids can be replaced in place: the byte
/// offsets of every id were recorded once, when the body was encoded, so the hot loop copies the
/// bytes and overwrites a few of them instead of encoding again.
///
/// The spans were encoded with placeholder ids (`IngestPlaceholderIDs`): the high 8 bytes of
/// every trace id and the high 4 bytes of every span id are fixed markers, the rest numbers them.
/// `patched(prefix:)` writes a per-request prefix over the markers, so every id becomes fresh
/// while parent, child and link relations stay as they were.
public struct IngestIDPatchTemplate: Sendable {
    /// How ids are written in the body.
    public enum Encoding: Sendable {
        /// Raw bytes (protobuf).
        case binary
        /// Lower-case hex text (OTLP/JSON, Zipkin).
        case hex
    }

    public let body: [UInt8]
    public let encoding: Encoding
    public let spanCount: Int
    /// Offsets of the trace-id markers (8 bytes binary, 16 characters hex).
    public let traceMarkerOffsets: [Int]
    /// Offsets of the span-id markers (4 bytes binary, 8 characters hex).
    public let spanMarkerOffsets: [Int]

    /// Finds every placeholder id in `body` (encoded from spans carrying ids made by `placeholders`).
    public init(body: [UInt8], encoding: Encoding, spanCount: Int, placeholders: IngestPlaceholderIDs) {
        self.body = body
        self.encoding = encoding
        self.spanCount = spanCount
        switch encoding {
        case .binary:
            traceMarkerOffsets = Self.offsets(of: placeholders.traceMarker.bigEndianBytes, in: body, followedBy: 8) { tail in
                placeholders.isTraceNumber(tail.reduce(0) { $0 << 8 | UInt64($1) })
            }
            spanMarkerOffsets = Self.offsets(of: placeholders.spanMarker.bigEndianBytes, in: body, followedBy: 4) { tail in
                placeholders.isSpanNumber(tail.reduce(0) { $0 << 8 | UInt32($1) })
            }
        case .hex:
            traceMarkerOffsets = Self.offsets(of: Array(placeholders.traceMarker.paddedHex.utf8), in: body, followedBy: 16) { tail in
                UInt64(String(decoding: tail, as: UTF8.self), radix: 16).map(placeholders.isTraceNumber) ?? false
            }
            spanMarkerOffsets = Self.offsets(of: Array(placeholders.spanMarker.paddedHex.utf8), in: body, followedBy: 8) { tail in
                UInt32(String(decoding: tail, as: UTF8.self), radix: 16).map(placeholders.isSpanNumber) ?? false
            }
        }
    }

    /// A copy of the body with `traceHigh` over every trace-id marker and `spanHigh` over every
    /// span-id marker. Both must differ from one request to the next (and `spanHigh` from 0).
    public func patched(traceHigh: UInt64, spanHigh: UInt32) -> [UInt8] {
        var copy = body
        copy.withUnsafeMutableBufferPointer { bytes in
            switch encoding {
            case .binary:
                for offset in traceMarkerOffsets { Self.writeBigEndian(traceHigh, width: 8, into: bytes, at: offset) }
                for offset in spanMarkerOffsets { Self.writeBigEndian(UInt64(spanHigh), width: 4, into: bytes, at: offset) }
            case .hex:
                for offset in traceMarkerOffsets { Self.writeHex(traceHigh, digits: 16, into: bytes, at: offset) }
                for offset in spanMarkerOffsets { Self.writeHex(UInt64(spanHigh), digits: 8, into: bytes, at: offset) }
            }
        }
        return copy
    }

    private static func writeBigEndian(_ value: UInt64, width: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<width {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * (width - 1 - index)))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeHex(_ value: UInt64, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<digits {
            let nibble = Int((value >> UInt64(4 * (digits - 1 - index))) & 0xf)
            bytes[offset + index] = hexDigits[nibble]
        }
    }

    /// Offsets where `marker` starts and the `tailLength` bytes after it pass `isPlaceholder`.
    static func offsets(
        of marker: [UInt8], in body: [UInt8], followedBy tailLength: Int, isPlaceholder: (ArraySlice<UInt8>) -> Bool
    ) -> [Int] {
        guard let first = marker.first, body.count >= marker.count + tailLength else { return [] }
        var found: [Int] = []
        var index = 0
        let last = body.count - marker.count - tailLength
        while index <= last {
            if body[index] == first, body[index..<(index + marker.count)].elementsEqual(marker) {
                let tailStart = index + marker.count
                if isPlaceholder(body[tailStart..<(tailStart + tailLength)]) {
                    found.append(index)
                    index = tailStart + tailLength
                    continue
                }
            }
            index += 1
        }
        return found
    }
}

extension FixedWidthInteger {
    var bigEndianBytes: [UInt8] {
        (0..<(bitWidth / 8)).map { UInt8(truncatingIfNeeded: self >> ((bitWidth / 8 - 1 - $0) * 8)) }
    }

    var paddedHex: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: bitWidth / 4 - digits.count) + digits
    }
}
