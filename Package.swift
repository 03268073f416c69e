// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way:
// TraceModel ← Ingest, Storage ← Intake ← Web, OTLPGRPC ← SkeinApp ← skein (DemoTraffic ← SkeinApp, Accounts ← Storage,
// Bench ← skein)
let package = Package(
    name: "skein",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skein", targets: ["skein"]),
        // The wire-format decoders alone, for the libFuzzer package in Fuzz/.
        .library(name: "SkeinIngestCodecs", targets: ["Ingest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        // Pure domain: ids, spans, attribute values, trace trees. No dependencies.
        .target(name: "TraceModel"),
        // Wire formats: OTLP protobuf/JSON (generated code in Generated/), Zipkin v2 JSON.
        .target(
            name: "Ingest",
            dependencies: [
                "TraceModel",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Accounts: users, roles with service scopes, sessions, API tokens, audit events, password
        // policy and hashing, login throttling, TOTP. Pure domain and policy, no database.
        .target(
            name: "Accounts",
            dependencies: [
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Storage contracts, the PostgreSQL implementation, the embedded PostgreSQL launcher, migrations.
        .target(
            name: "Storage",
            dependencies: [
                "TraceModel",
                "Accounts",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The built-in traffic generator behind `skein demo`.
        .target(
            name: "DemoTraffic",
            dependencies: [
                "TraceModel",
                "Ingest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What every receiver shares: validation and limits, the memory budget, the bounded
        // batching queue in front of storage, drop accounting and ingest metrics.
        .target(
            name: "Intake",
            dependencies: [
                "TraceModel",
                "Ingest",
                "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // OTLP/gRPC receiver (TraceService/Export) on grpc-swift-2.
        .target(
            name: "OTLPGRPC",
            dependencies: [
                "TraceModel",
                "Ingest",
                "Intake",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // HTTP surface: ingest endpoints, Jaeger API, server-rendered pages, /metrics.
        .target(
            name: "Web",
            dependencies: [
                "TraceModel",
                "Accounts",
                "Ingest",
                "Storage",
                "Intake",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Composition root: configuration, buildApplication, service wiring.
        .target(
            name: "SkeinApp",
            dependencies: [
                "TraceModel",
                "Ingest",
                "Storage",
                "Web",
                "Intake",
                "OTLPGRPC",
                "DemoTraffic",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `skein bench`: the benchmark harness (child server, load generators, samplers, reports).
        .target(
            name: "Bench",
            dependencies: [
                "TraceModel",
                "Ingest",
                "Storage",
                "Accounts",
                "DemoTraffic",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        .executableTarget(
            name: "skein",
            dependencies: [
                "SkeinApp",
                "Intake",
                "Bench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TraceModelTests", dependencies: ["TraceModel"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Ingest", "TraceModel", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts"]),
        // FuzzRegressions/ holds inputs the fuzz targets found, replayed by FuzzRegressionTests.
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TraceModel"], exclude: ["FuzzRegressions"]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "TraceModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Storage", "TraceModel", "Ingest",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OTLPGRPCTests",
            dependencies: [
                "OTLPGRPC", "Intake", "Storage", "TraceModel", "Ingest",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Storage", "TraceModel", "Ingest",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Intake",
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SkeinApp", "Storage", "TraceModel", "Ingest", "DemoTraffic", "Intake", "Bench",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ]
        ),
    ]
)
