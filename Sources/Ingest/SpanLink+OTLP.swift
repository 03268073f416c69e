import Foundation
import TraceModel

extension SpanLink {
    /// `nil` when the link's ids are malformed; the caller counts it as a dropped link
    /// instead of rejecting the whole span for a bad pointer to another span.
    init?(_ proto: ProtoSpan.Link) {
        guard let traceID = TraceID(bytes: proto.traceID), traceID.isValid,
              let spanID = SpanID(bytes: proto.spanID), spanID.isValid else { return nil }
        self.init(
            traceID: traceID,
            spanID: spanID,
            traceState: proto.traceState,
            attributes: proto.attributes.map(Attribute.init),
            droppedAttributesCount: proto.droppedAttributesCount,
            flags: proto.flags
        )
    }
}

extension ProtoSpan.Link {
    init(_ link: SpanLink) {
        self.init()
        traceID = Data(link.traceID.bytes)
        spanID = Data(link.spanID.bytes)
        traceState = link.traceState
        attributes = link.attributes.map(ProtoKeyValue.init)
        droppedAttributesCount = link.droppedAttributesCount
        flags = link.flags
    }
}
