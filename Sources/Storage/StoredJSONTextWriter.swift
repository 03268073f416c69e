import Foundation
import TraceModel

/// Writes the typed JSON text of attributes, events and links (the format `StoredAttributes`
/// documents and reads back) as UTF-8 bytes into one reusable buffer, for the write path.
///
/// The same text `StoredAttributes.encode` produces, byte for byte, but without appending to a
/// `String` one Unicode scalar at a time: a string without characters to escape is copied whole,
/// integers are written as digits, and the buffer keeps its capacity from one span to the next.
struct StoredJSONTextWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far, then an empty buffer (its capacity kept) for the next value.
    mutating func take() -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        bytes.removeAll(keepingCapacity: true)
        return text
    }

    /// `{"key":value,...}`, keys in the order given.
    mutating func writeAttributes(_ attributes: [Attribute]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for attribute in attributes {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(attribute.key)
            bytes.append(UInt8(ascii: ":"))
            writeValue(attribute.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func writeValue(_ value: AttributeValue) {
        switch value {
        case .empty: writeASCII("null")
        case .string(let text): writeString(text)
        case .bool(let flag): writeASCII(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number):
            let text = String(number)
            let survivesAsNumber = number.isFinite && !(number == 0 && number.sign == .minus)
                && text.utf8.contains(UInt8(ascii: ".")) && !text.utf8.contains(UInt8(ascii: "e"))
            if survivesAsNumber {
                bytes.append(contentsOf: text.utf8)
            } else {
                writeASCII("{\"$d\":")
                writeString(text)
                bytes.append(UInt8(ascii: "}"))
            }
        case .bytes(let data):
            writeASCII("{\"$b\":\"")
            bytes.append(contentsOf: Data(data).base64EncodedString().utf8)
            writeASCII("\"}")
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in values {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeValue(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .keyValueList(let attributes):
            writeASCII("{\"$kv\":")
            writeAttributes(attributes)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `[{"t":ns,"n":name,"a":{...},"d":dropped}]`; writes nothing for no events.
    mutating func writeEvents(_ events: [SpanEvent]) {
        guard !events.isEmpty else { return }
        bytes.append(UInt8(ascii: "["))
        var first = true
        for event in events {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeASCII("{\"t\":")
            writeInteger(event.timeUnixNano)
            writeASCII(",\"n\":")
            writeString(event.name)
            if !event.attributes.isEmpty {
                writeASCII(",\"a\":")
                writeAttributes(event.attributes)
            }
            if event.droppedAttributesCount > 0 {
                writeASCII(",\"d\":")
                writeInteger(event.droppedAttributesCount)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `[{"t":traceHex,"s":spanHex,"ts":traceState,"a":{...},"d":dropped,"f":flags}]`; writes
    /// nothing for no links.
    mutating func writeLinks(_ links: [SpanLink]) {
        guard !links.isEmpty else { return }
        bytes.append(UInt8(ascii: "["))
        var first = true
        for link in links {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeASCII("{\"t\":\"")
            bytes.append(contentsOf: link.traceID.hex.utf8)
            writeASCII("\",\"s\":\"")
            bytes.append(contentsOf: link.spanID.hex.utf8)
            bytes.append(UInt8(ascii: "\""))
            if !link.traceState.isEmpty {
                writeASCII(",\"ts\":")
                writeString(link.traceState)
            }
            if !link.attributes.isEmpty {
                writeASCII(",\"a\":")
                writeAttributes(link.attributes)
            }
            if link.droppedAttributesCount > 0 {
                writeASCII(",\"d\":")
                writeInteger(link.droppedAttributesCount)
            }
            if link.flags != 0 {
                writeASCII(",\"f\":")
                writeInteger(link.flags)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A JSON string literal. U+0000, which PostgreSQL cannot store, becomes U+FFFD (as in
    /// `StoredJSON.writeString`).
    mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var clean = utf8.startIndex
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                writeEscaped(byte)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeASCII("\\\"")
        case UInt8(ascii: "\\"): writeASCII("\\\\")
        case UInt8(ascii: "\n"): writeASCII("\\n")
        case UInt8(ascii: "\r"): writeASCII("\\r")
        case UInt8(ascii: "\t"): writeASCII("\\t")
        case 0: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
        default:
            let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
            writeASCII("\\u00")
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    private mutating func writeASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func writeInteger(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        writeInteger(number.magnitude)
    }

    private mutating func writeInteger(_ number: UInt32) {
        writeInteger(UInt64(number))
    }

    private mutating func writeInteger(_ magnitude: UInt64) {
        var value = magnitude
        // Up to 20 digits: written backwards into a small stack buffer, then appended.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<20]))
        }
    }
}
