import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import Intake
import Logging
import Storage
import TraceModel

/// Zipkin v2 receiver, `POST /api/v2/spans` (JSON only, optionally gzip), answering 202 Accepted
/// after the spans are committed, as Zipkin does; errors get a plain-text message, and the same
/// statuses as OTLP/HTTP (429 and 503 with `Retry-After`; 401 with `WWW-Authenticate: Bearer`
/// when `authorization` refuses the request's ingest token or its lack).
public struct ZipkinController<Context: RequestContext>: Sendable {
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
        router.post("/api/v2/spans") { request, _ in await self.receive(request) }
        for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
            router.on("/api/v2/spans", method: method) { _, _ in
                var response = Self.text(.methodNotAllowed, "use POST for /api/v2/spans")
                response.headers[.allow] = "POST"
                return response
            }
        }
    }

    func receive(_ request: Request) async -> Response {
        switch await authorization.authorize(
            authorization: request.headers[.authorization],
            skeinToken: request.headers[OTLPHTTPController<Context>.skeinTokenField]) {
        case .accepted:
            break
        case .unauthenticated(let message):
            pipeline.refused(.zipkin, reason: "unauthenticated")
            var response = Self.text(.unauthorized, message)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        case .unavailable(let refusal):
            pipeline.refused(.zipkin, reason: refusal.dropReason)
            return Self.refusal(refusal)
        }
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard mediaType == "application/json" || mediaType.isEmpty else {
                pipeline.refused(.zipkin, reason: "unsupported_media_type")
                return Self.text(
                    .unsupportedMediaType,
                    "unsupported content type '\(contentType)': Skein accepts Zipkin v2 JSON (application/json) only")
            }
        }
        guard let encoding = ContentEncoding(header: request.headers[.contentEncoding]) else {
            pipeline.refused(.zipkin, reason: "unsupported_media_type")
            return Self.text(
                .unsupportedMediaType,
                "unsupported content encoding '\(request.headers[.contentEncoding] ?? "")': send gzip, deflate or identity")
        }

        let declaredLength = request.headers[.contentLength].flatMap { Int($0) }
        let reservation: IngestReservation
        do {
            reservation = try pipeline.admit(bodyBytes: declaredLength, via: .zipkin)
        } catch {
            return Self.refusal(error)
        }
        defer { reservation.release() }

        let bytes: [UInt8]
        do {
            bytes = try await bodyReader.read(request.body, encoding: encoding, declaredLength: declaredLength)
        } catch let error as IngestBodyError {
            switch error {
            case .tooLarge:
                pipeline.refused(.zipkin, reason: "too_large")
                return Self.text(.contentTooLarge, error.message)
            case .corrupt:
                pipeline.refused(.zipkin, reason: "undecodable")
                return Self.text(.badRequest, error.message)
            }
        } catch {
            logger.info("Reading a Zipkin request body failed", metadata: ["error": "\(error)"])
            pipeline.refused(.zipkin, reason: "undecodable")
            return Self.text(.badRequest, "the request body could not be read")
        }

        let decoded: DecodedSpans
        do {
            decoded = try ZipkinCodec.decodeJSON(bytes)
        } catch let error as IngestDecodingError {
            pipeline.refused(.zipkin, reason: "undecodable")
            return Self.text(.badRequest, "undecodable Zipkin v2 JSON: \(error.message)")
        } catch {
            pipeline.refused(.zipkin, reason: "undecodable")
            return Self.text(.badRequest, "undecodable Zipkin v2 JSON")
        }

        let outcome: IngestOutcome
        do {
            outcome = try await pipeline.ingest(decoded, via: .zipkin)
        } catch {
            return Self.refusal(error)
        }
        if outcome.accepted == 0 && !outcome.rejected.isEmpty {
            return Self.text(.badRequest, outcome.rejectionSummary)
        }
        return Response(status: .accepted)
    }

    /// 429 (overloaded) or 503 (database unavailable, shutting down) with `Retry-After`; 413 for too many spans.
    static func refusal(_ refusal: IngestRefusal) -> Response {
        var response: Response
        switch refusal {
        case .overloaded: response = text(.tooManyRequests, refusal.message)
        case .storageUnavailable, .shuttingDown: response = text(.serviceUnavailable, refusal.message)
        case .tooManySpans: response = text(.contentTooLarge, refusal.message)
        }
        if let seconds = refusal.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
