import TraceModel

extension SpanStatus {
    init(_ proto: ProtoStatus) {
        self.init(code: SpanStatus.Code(rawValue: proto.code.rawValue) ?? .unset, message: proto.message)
    }
}

extension ProtoStatus {
    init(_ status: SpanStatus) {
        self.init()
        code = ProtoStatus.StatusCode(rawValue: status.code.rawValue) ?? .unset
        message = status.message
    }
}
