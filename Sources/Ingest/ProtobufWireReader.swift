/// A cursor over one protobuf message's bytes (wire format: tags, varints, fixed-width numbers,
/// length-delimited fields), for `OTLPProtobufReader`. It never reads past its message; anything
/// malformed or unusual throws `Unsupported`, which sends the body to swift-protobuf instead.
struct ProtobufWireReader {
    /// The body needs swift-protobuf: malformed, or a case this reader leaves to it.
    struct Unsupported: Error {}

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    private let buffer: UnsafeBufferPointer<UInt8>
    private var position: Int
    private let end: Int
    /// How many messages deep this one is (the request is 0).
    let depth: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.init(buffer, from: 0, to: buffer.count, depth: 0)
    }

    private init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, depth: Int) {
        self.buffer = buffer
        self.position = start
        self.end = end
        self.depth = depth
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(Unsupported) -> (UInt64, WireType)? {
        guard position < end else { return nil }
        let tag = try varint()
        guard let wireType = WireType(rawValue: UInt8(tag & 7)), tag >> 3 > 0, tag >> 3 <= 536_870_911 else { throw Unsupported() }
        return (tag >> 3, wireType)
    }

    func expect(_ wireType: WireType, _ expected: WireType) throws(Unsupported) {
        guard wireType == expected else { throw Unsupported() }
    }

    mutating func varint() throws(Unsupported) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 { throw Unsupported() }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
            if shift > 63 { throw Unsupported() }
        }
        throw Unsupported()
    }

    mutating func fixed64() throws(Unsupported) -> UInt64 {
        guard end - position >= 8 else { throw Unsupported() }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(buffer[position + offset]) << (8 * UInt64(offset)) }
        position += 8
        return value
    }

    mutating func fixed32() throws(Unsupported) -> UInt32 {
        guard end - position >= 4 else { throw Unsupported() }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(buffer[position + offset]) << (8 * UInt32(offset)) }
        position += 4
        return value
    }

    /// A length-delimited field's bytes (valid while the body's buffer is).
    mutating func bytes() throws(Unsupported) -> UnsafeBufferPointer<UInt8> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Unsupported() }
        let start = position
        position += Int(length)
        return UnsafeBufferPointer(rebasing: buffer[start..<position])
    }

    /// A length-delimited field as UTF-8 text; invalid UTF-8 is left to swift-protobuf (which refuses it).
    mutating func string() throws(Unsupported) -> String {
        let bytes = try bytes()
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Unsupported() }
        return text
    }

    /// A length-delimited field as an embedded message one level deeper.
    mutating func message(depth: Int) throws(Unsupported) -> ProtobufWireReader {
        guard depth <= OTLPProtobufReader.nestingLimit else { throw Unsupported() }
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Unsupported() }
        let start = position
        position += Int(length)
        return ProtobufWireReader(buffer, from: start, to: position, depth: depth)
    }

    /// Skips a field this reader does not use (groups are left to swift-protobuf).
    mutating func skip(_ wireType: WireType) throws(Unsupported) {
        switch wireType {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try bytes()
        case .startGroup, .endGroup: throw Unsupported()
        }
    }
}
