import TraceModel

/// Thrown while converting one wire span that cannot become a domain span; the decoder
/// records the rejection and carries on with the other spans of the request.
struct InvalidSpan: Error {
    var rejection: SpanRejection

    init(_ rejection: SpanRejection) {
        self.rejection = rejection
    }
}

extension SpanID {
    /// The parent of a span from wire bytes: empty or all-zero means a root span.
    static func parent(bytes: some Collection<UInt8>) throws(InvalidSpan) -> SpanID? {
        if bytes.isEmpty { return nil }
        guard let id = SpanID(bytes: bytes) else {
            throw InvalidSpan(.invalidParentSpanID("parent span id has \(bytes.count) bytes, expected 8 or none"))
        }
        return id.isValid ? id : nil
    }

    static func required(bytes: some Collection<UInt8>) throws(InvalidSpan) -> SpanID {
        guard let id = SpanID(bytes: bytes), id.isValid else {
            throw InvalidSpan(.invalidSpanID("span id must be 8 bytes and not all zero (got \(bytes.count) bytes)"))
        }
        return id
    }
}

extension TraceID {
    static func required(bytes: some Collection<UInt8>) throws(InvalidSpan) -> TraceID {
        guard let id = TraceID(bytes: bytes), id.isValid else {
            throw InvalidSpan(.invalidTraceID("trace id must be 16 bytes and not all zero (got \(bytes.count) bytes)"))
        }
        return id
    }
}
