import HTTPTypes
import Hummingbird
import Ingest
import Intake
import Logging
import Storage
import TraceModel

/// OTLP/HTTP trace receiver, `POST /v1/traces`, answering as the OTLP specification says (the
/// README's response table): 200 with an ExportTraceServiceResponse (with `partial_success` when
/// spans were rejected or altered) only after the spans are committed; 400 undecodable, 413 too
/// large (after decompression) or too many spans, 415 unknown content type or encoding, 405 wrong
/// method, 429 over capacity and 503 database unavailable, both with `Retry-After`; 401 with
/// `WWW-Authenticate: Bearer` when `authorization` refuses the request's ingest token (or its lack).
public struct OTLPHTTPController<Context: RequestContext>: Sendable {
    let pipeline: IngestPipeline
    let bodyReader: IngestBodyReader
    let authorization: IngestAuthorization
    let logger: Logger

    public init(pipeline: IngestPipeline, authorization: IngestAuthorization = .unchecked, logger: Logger) {
        self.pipeline = pipeline
        self.bodyReader = IngestBodyReader(maxBodyBytes: pipeline.limits.maxBodyBytes)
        self.authorization = authorization
        self.logger = logger
    }

    /// A controller writing straight to `writer` (no queue), for tests and tools.
    /// - Parameter now: the clock for timestamp validation, Unix nanoseconds (injected for tests).
    public init(
        writer: any TraceWriter, limits: IngestLimits = IngestLimits(), authorization: IngestAuthorization = .unchecked,
        logger: Logger, now: @escaping @Sendable () -> UInt64 = { WallClock.unixNanos() }
    ) {
        self.init(
            pipeline: IngestPipeline(writer: writer, limits: limits, logger: logger, now: now),
            authorization: authorization, logger: logger)
    }

    public func addRoutes(to router: Router<Context>) {
        router.post("/v1/traces") { request, _ in await self.export(request) }
        // OPTIONS is left to CORS middleware (browser exporters send preflight requests).
        for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
            router.on("/v1/traces", method: method) { _, _ in
                var response = Self.status(.methodNotAllowed, code: 12, "use POST for /v1/traces", json: true)
                response.headers[.allow] = "POST"
                return response
            }
        }
    }

    func export(_ request: Request) async -> Response {
        // Before anything of the body is read: an unauthenticated sender costs one header check.
        switch await authorization.authorize(
            authorization: request.headers[.authorization], skeinToken: request.headers[Self.skeinTokenField]) {
        case .accepted:
            break
        case .unauthenticated(let message):
            pipeline.refused(.otlpHTTP, reason: "unauthenticated")
            let json = OTLPContentType(header: request.headers[.contentType]) == .json
            var response = Self.status(.unauthorized, code: 16, message, json: json)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        case .unavailable(let refusal):
            pipeline.refused(.otlpHTTP, reason: refusal.dropReason)
            return Self.refusal(refusal, json: OTLPContentType(header: request.headers[.contentType]) == .json)
        }
        guard let contentType = OTLPContentType(header: request.headers[.contentType]) else {
            pipeline.refused(.otlpHTTP, reason: "unsupported_media_type")
            let received = request.headers[.contentType] ?? "none"
            return Self.status(
                .unsupportedMediaType, code: 3,
                "unsupported content type '\(received)': send application/x-protobuf or application/json",
                json: true)
        }
        let json = contentType == .json
        guard let encoding = ContentEncoding(header: request.headers[.contentEncoding]) else {
            pipeline.refused(.otlpHTTP, reason: "unsupported_media_type")
            return Self.status(
                .unsupportedMediaType, code: 3,
                "unsupported content encoding '\(request.headers[.contentEncoding] ?? "")': send gzip, deflate or identity",
                json: json)
        }

        let declaredLength = request.headers[.contentLength].flatMap { Int($0) }
        let reservation: IngestReservation
        do {
            reservation = try pipeline.admit(bodyBytes: declaredLength, via: .otlpHTTP)
        } catch {
            return Self.refusal(error, json: json)
        }
        defer { reservation.release() }

        let bytes: [UInt8]
        do {
            bytes = try await bodyReader.read(request.body, encoding: encoding, declaredLength: declaredLength)
        } catch let error as IngestBodyError {
            switch error {
            case .tooLarge:
                pipeline.refused(.otlpHTTP, reason: "too_large")
                return Self.status(.contentTooLarge, code: 8, error.message, json: json)
            case .corrupt:
                pipeline.refused(.otlpHTTP, reason: "undecodable")
                return Self.status(.badRequest, code: 3, error.message, json: json)
            }
        } catch {
            logger.info("Reading an OTLP request body failed", metadata: ["error": "\(error)"])
            pipeline.refused(.otlpHTTP, reason: "undecodable")
            return Self.status(.badRequest, code: 3, "the request body could not be read", json: json)
        }

        let decoded: DecodedSpans
        do {
            decoded = json ? try OTLPTraceCodec.decodeJSON(bytes) : try OTLPTraceCodec.decodeProtobuf(bytes)
        } catch let error as IngestDecodingError {
            pipeline.refused(.otlpHTTP, reason: "undecodable")
            return Self.status(.badRequest, code: 3, "undecodable OTLP \(json ? "JSON" : "protobuf"): \(error.message)", json: json)
        } catch {
            pipeline.refused(.otlpHTTP, reason: "undecodable")
            return Self.status(.badRequest, code: 3, "undecodable OTLP \(json ? "JSON" : "protobuf") body", json: json)
        }

        let outcome: IngestOutcome
        do {
            outcome = try await pipeline.ingest(decoded, via: .otlpHTTP)
        } catch {
            return Self.refusal(error, json: json)
        }
        let body = OTLPTraceCodec.exportResponse(
            rejectedSpans: Int64(outcome.rejected.count), errorMessage: outcome.partialSuccessMessage, json: json)
        return Self.bytes(body, status: .ok, contentType: contentType)
    }

    /// `x-skein-token`, the header carrying a bare ingest token.
    static var skeinTokenField: HTTPField.Name {
        HTTPField.Name(IngestCredential.skeinTokenHeader) ?? .authorization
    }

    /// 429 (overloaded) or 503 (database unavailable, shutting down) with `Retry-After`; 413 for too many spans.
    static func refusal(_ refusal: IngestRefusal, json: Bool) -> Response {
        var response: Response
        switch refusal {
        case .overloaded: response = status(.tooManyRequests, code: 8, refusal.message, json: json)
        case .storageUnavailable, .shuttingDown: response = status(.serviceUnavailable, code: 14, refusal.message, json: json)
        case .tooManySpans: response = status(.contentTooLarge, code: 3, refusal.message, json: json)
        }
        if let seconds = refusal.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    static func status(_ status: HTTPResponse.Status, code: Int32, _ message: String, json: Bool) -> Response {
        bytes(OTLPTraceCodec.status(code: code, message: message, json: json), status: status, contentType: json ? .json : .protobuf)
    }

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status, contentType: OTLPContentType) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType.headerValue],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
