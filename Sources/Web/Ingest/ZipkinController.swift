import Foundation
import Hummingbird
import Ingest
import Logging
import Storage
import TraceModel

/// Zipkin v2 receiver, `POST /api/v2/spans` (JSON only, optionally gzip), answering 202 Accepted
/// after the spans are committed, as Zipkin does; errors get a plain-text message.
public struct ZipkinController<Context: RequestContext>: Sendable {
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
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard mediaType == "application/json" || mediaType.isEmpty else {
                return Self.text(
                    .unsupportedMediaType,
                    "unsupported content type '\(contentType)': Skein accepts Zipkin v2 JSON (application/json) only")
            }
        }
        guard let encoding = ContentEncoding(header: request.headers[.contentEncoding]) else {
            return Self.text(
                .unsupportedMediaType,
                "unsupported content encoding '\(request.headers[.contentEncoding] ?? "")': send gzip or identity")
        }

        let bytes: [UInt8]
        do {
            bytes = try await bodyReader.read(
                request.body, encoding: encoding, declaredLength: request.headers[.contentLength].flatMap { Int($0) })
        } catch let error as IngestBodyError {
            switch error {
            case .tooLarge: return Self.text(.contentTooLarge, error.message)
            case .corrupt: return Self.text(.badRequest, error.message)
            }
        } catch {
            logger.info("Reading a Zipkin request body failed", metadata: ["error": "\(error)"])
            return Self.text(.badRequest, "the request body could not be read")
        }

        let decoded: DecodedSpans
        do {
            decoded = try ZipkinCodec.decodeJSON(bytes)
        } catch let error as IngestDecodingError {
            return Self.text(.badRequest, "undecodable Zipkin v2 JSON: \(error.message)")
        } catch {
            return Self.text(.badRequest, "undecodable Zipkin v2 JSON")
        }

        let outcome: IngestOutcome
        do {
            outcome = try await pipeline.ingest(decoded, protocolName: "zipkin")
        } catch {
            var response = Self.text(.serviceUnavailable, "spans could not be stored right now; retry later")
            response.headers[.retryAfter] = "5"
            return response
        }
        if outcome.accepted == 0 && !outcome.rejected.isEmpty {
            return Self.text(.badRequest, outcome.rejectionSummary)
        }
        return Response(status: .accepted)
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
