/// The receiver a request came through; the `protocol` label of every ingest metric.
public enum IngestProtocol: String, Sendable, CaseIterable {
    case otlpHTTP = "otlp_http"
    case otlpGRPC = "otlp_grpc"
    case zipkin = "zipkin"
}
