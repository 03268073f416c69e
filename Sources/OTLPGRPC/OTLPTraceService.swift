import GRPCCore
import Ingest
import Intake
import Logging

/// The OTLP/gRPC trace receiver, `opentelemetry.proto.collector.trace.v1.TraceService/Export`,
/// answering as the OTLP specification says (the README's response table): OK with an
/// `ExportTraceServiceResponse` (with `partial_success` when spans were rejected or altered) only
/// after the spans are committed; INVALID_ARGUMENT for undecodable data or too many spans;
/// RESOURCE_EXHAUSTED when over capacity and UNAVAILABLE when the database is unreachable, both
/// with a retry delay; UNAUTHENTICATED when `authorization` refuses the call's ingest token (or
/// its lack), read from the metadata `authorization: Bearer <t>` or `x-skein-token: <t>`.
///
/// Written by hand rather than generated: the generated OTLP messages are internal to `Ingest`,
/// so the method carries the message bytes and decodes them with `OTLPTraceCodec`, exactly as
/// OTLP/HTTP does.
public struct OTLPTraceService: RegistrableRPCService {
    /// `opentelemetry.proto.collector.trace.v1.TraceService/Export`.
    public static let exportMethod = MethodDescriptor(
        fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export")

    let pipeline: IngestPipeline
    let authorization: IngestAuthorization
    let logger: Logger

    public init(pipeline: IngestPipeline, authorization: IngestAuthorization = .unchecked, logger: Logger) {
        self.pipeline = pipeline
        self.authorization = authorization
        self.logger = logger
    }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Self.exportMethod,
            deserializer: RawMessageDeserializer(),
            serializer: RawMessageSerializer()
        ) { request, _ in
            try await authorize(request.metadata)
            let message = try await singleMessage(of: request)
            let response = try await export(message)
            return StreamingServerResponse(single: ServerResponse(message: response))
        }
    }

    /// Throws UNAUTHENTICATED (or UNAVAILABLE) unless the call's metadata carries an acceptable token.
    func authorize(_ metadata: Metadata) async throws(RPCError) {
        let verdict = await authorization.authorize(
            authorization: metadata[stringValues: "authorization"].first(where: { _ in true }),
            skeinToken: metadata[stringValues: IngestCredential.skeinTokenHeader].first(where: { _ in true }))
        switch verdict {
        case .accepted:
            return
        case .unauthenticated(let message):
            pipeline.refused(.otlpGRPC, reason: "unauthenticated")
            throw RPCError(code: .unauthenticated, message: message)
        case .unavailable(let refusal):
            pipeline.refused(.otlpGRPC, reason: refusal.dropReason)
            throw refusal.rpcError
        }
    }

    /// Stores the spans of one serialized `ExportTraceServiceRequest`; the serialized
    /// `ExportTraceServiceResponse` once they are committed.
    func export(_ message: [UInt8]) async throws(RPCError) -> [UInt8] {
        let limit = pipeline.limits.maxBodyBytes
        guard message.count <= limit else {
            pipeline.refused(.otlpGRPC, reason: "too_large")
            throw RPCError(
                code: .resourceExhausted,
                message: "the request message is \(message.count) bytes (after decompression); the limit is \(limit): lower the exporter's batch size")
        }
        let reservation: IngestReservation
        do {
            reservation = try pipeline.admit(bodyBytes: message.count, via: .otlpGRPC)
        } catch {
            throw error.rpcError
        }
        defer { reservation.release() }

        let decoded: DecodedSpans
        do {
            decoded = try OTLPTraceCodec.decodeProtobuf(message)
        } catch {
            pipeline.refused(.otlpGRPC, reason: "undecodable")
            let detail = (error as? IngestDecodingError)?.message ?? "the message is not an ExportTraceServiceRequest"
            throw RPCError(code: .invalidArgument, message: "undecodable OTLP protobuf: \(detail)")
        }

        let outcome: IngestOutcome
        do {
            outcome = try await pipeline.ingest(decoded, via: .otlpGRPC)
        } catch {
            throw error.rpcError
        }
        return OTLPTraceCodec.exportResponse(
            rejectedSpans: Int64(outcome.rejected.count), errorMessage: outcome.partialSuccessMessage, json: false)
    }

    /// The one request message of a unary call. A message the transport refused (longer than
    /// `OTLPGRPCServer.transportCeiling(forLimit:)` before or after decompression, or compressed
    /// data that does not inflate) ends the stream with an error here, and the transport resets
    /// the stream: the client sees the reset, not a status. The transport (2.9.2) reports all of
    /// these as "Failed to decode message", so they are counted as undecodable.
    private func singleMessage(of request: StreamingServerRequest<[UInt8]>) async throws(RPCError) -> [UInt8] {
        do {
            return try await ServerRequest(stream: request).message
        } catch let error as RPCError {
            logger.info("An OTLP/gRPC request could not be read", metadata: ["error": "\(error)"])
            pipeline.refused(.otlpGRPC, reason: "undecodable")
            throw error
        } catch {
            logger.info("An OTLP/gRPC request could not be read", metadata: ["error": "\(error)"])
            pipeline.refused(.otlpGRPC, reason: "undecodable")
            throw RPCError(code: .invalidArgument, message: "the request message could not be read")
        }
    }
}
