// The OTLP/gRPC receiver is being written; see issue 3.
