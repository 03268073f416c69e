import Hummingbird
import Ingest
import TraceModel

extension JaegerAPIController {
    /// `GET /api/v3/traces/{traceId}`: the trace as OTLP JSON wrapped as Jaeger's v3 HTTP gateway
    /// does, `{"result": {"resourceSpans": [...]}}`.
    func addV3Routes(to router: Router<Context>) {
        router.get("/api/v3/traces/{traceId}") { _, context in
            let (response, read) = await self.scoped(to: context).v3Trace(idText: context.parameters.get("traceId") ?? "")
            if let read { await self.audit(context, read) }
            return response
        }
    }

    /// The trace as OTLP JSON, and the view to record when it was sent.
    func v3Trace(idText: String) async -> (Response, AuditedRead?) {
        guard let id = TraceID(hex: idText), id.isValid else {
            return (Self.v3Error(400, "malformed trace id '\(idText)': expected up to 32 hex digits"), nil)
        }
        var read: AuditedRead?
        let response = await answer {
            let spans = try await reader.trace(id: id)
            guard !spans.isEmpty else { return Self.v3Error(404, "trace not found") }
            let tracesData = try OTLPTraceCodec.encodeJSON(spans)
            read = .traceViewed(id)
            return JaegerJSON.bytesResponse(Array(#"{"result":"#.utf8) + tracesData + [UInt8(ascii: "}")])
        }
        return (response, read)
    }

    static func v3Error(_ code: Int, _ message: String) -> Response {
        JaegerJSON.response(
            JaegerV3Error(error: .init(httpCode: code, message: message)), status: HTTPResponse.Status(code: code))
    }
}

/// The error body of Jaeger's v3 HTTP gateway: `{"error": {"httpCode": 404, "message": "..."}}`.
struct JaegerV3Error: Encodable {
    struct Detail: Encodable {
        var httpCode: Int
        var message: String
    }

    var error: Detail
}
