import Hummingbird
import Ingest
import Logging
import Storage
import TraceModel

/// OTLP/HTTP trace receiver, `POST /v1/traces`, answering as the OTLP specification says:
/// 200 with an ExportTraceServiceResponse (with `partial_success` when spans were rejected) only
/// after the spans are committed; 400 undecodable, 413 too large (after decompression),
/// 415 unknown content type or encoding, 503 with `Retry-After` when storage fails.
public struct OTLPHTTPController<Context: RequestContext>: Sendable {
    let pipeline: IngestPipeline
    let bodyReader: IngestBodyReader
    let logger: Logger

    /// - Parameter now: the clock for timestamp validation, Unix nanoseconds (injected for tests).
    public init(
        writer: any TraceWriter, limits: IngestLimits = IngestLimits(), logger: Logger,
        now: @escaping @Sendable () -> UInt64 = { WallClock.unixNanos() }
    ) {
        self.pipeline = IngestPipeline(writer: writer, limits: limits, logger: logger, now: now)
        self.bodyReader = IngestBodyReader(maxBodyBytes: limits.maxBodyBytes)
        self.logger = logger
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
        guard let contentType = OTLPContentType(header: request.headers[.contentType]) else {
            let received = request.headers[.contentType] ?? "none"
            return Self.status(
                .unsupportedMediaType, code: 3,
                "unsupported content type '\(received)': send application/x-protobuf or application/json",
                json: true)
        }
        let json = contentType == .json
        guard let encoding = ContentEncoding(header: request.headers[.contentEncoding]) else {
            return Self.status(
                .unsupportedMediaType, code: 3,
                "unsupported content encoding '\(request.headers[.contentEncoding] ?? "")': send gzip, deflate or identity",
                json: json)
        }

        let bytes: [UInt8]
        do {
            bytes = try await bodyReader.read(
                request.body, encoding: encoding, declaredLength: request.headers[.contentLength].flatMap { Int($0) })
        } catch let error as IngestBodyError {
            switch error {
            case .tooLarge: return Self.status(.contentTooLarge, code: 8, error.message, json: json)
            case .corrupt: return Self.status(.badRequest, code: 3, error.message, json: json)
            }
        } catch {
            logger.info("Reading an OTLP request body failed", metadata: ["error": "\(error)"])
            return Self.status(.badRequest, code: 3, "the request body could not be read", json: json)
        }

        let decoded: DecodedSpans
        do {
            decoded = json ? try OTLPTraceCodec.decodeJSON(bytes) : try OTLPTraceCodec.decodeProtobuf(bytes)
        } catch let error as IngestDecodingError {
            return Self.status(.badRequest, code: 3, "undecodable OTLP \(json ? "JSON" : "protobuf"): \(error.message)", json: json)
        } catch {
            return Self.status(.badRequest, code: 3, "undecodable OTLP \(json ? "JSON" : "protobuf") body", json: json)
        }

        let outcome: IngestOutcome
        do {
            outcome = try await pipeline.ingest(decoded, protocolName: "otlp_http")
        } catch {
            var response = Self.status(
                .serviceUnavailable, code: 14, "spans could not be stored right now; retry later", json: json)
            response.headers[.retryAfter] = "5"
            return response
        }
        let body = OTLPTraceCodec.exportResponse(
            rejectedSpans: Int64(outcome.rejected.count), errorMessage: outcome.rejectionSummary, json: json)
        return Self.bytes(body, status: .ok, contentType: contentType)
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
