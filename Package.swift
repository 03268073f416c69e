// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way:
// TraceModel ← Ingest, Storage ← DemoTraffic, Web ← SkeinApp ← skein
let package = Package(
    name: "skein",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skein", targets: ["skein"]),
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
        // Storage contracts, the PostgreSQL implementation, the embedded PostgreSQL launcher, migrations.
        .target(
            name: "Storage",
            dependencies: [
                "TraceModel",
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
        // HTTP surface: ingest endpoints, Jaeger API, server-rendered pages.
        .target(
            name: "Web",
            dependencies: [
                "TraceModel",
                "Ingest",
                "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
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
                "DemoTraffic",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skein",
            dependencies: [
                "SkeinApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TraceModelTests", dependencies: ["TraceModel"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TraceModel"]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "TraceModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Storage", "TraceModel", "Ingest",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SkeinApp", "Storage", "TraceModel", "Ingest", "DemoTraffic",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
