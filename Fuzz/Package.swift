// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Skein's three wire decoders (see docs/fuzzing.md and scripts/fuzz).
// Build with the fuzzer sanitizer, never in the root package's .build:
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
let package = Package(
    name: "SkeinFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "skein", path: ".."),
    ],
    targets: [
        // OTLP/HTTP protobuf bodies: OTLPTraceCodec.decodeProtobuf.
        .executableTarget(
            name: "FuzzOTLPProtobuf",
            dependencies: [.product(name: "SkeinIngestCodecs", package: "skein")]
        ),
        // OTLP/HTTP JSON bodies: OTLPTraceCodec.decodeJSON.
        .executableTarget(
            name: "FuzzOTLPJSON",
            dependencies: [.product(name: "SkeinIngestCodecs", package: "skein")]
        ),
        // Zipkin v2 JSON bodies: ZipkinCodec.decodeJSON.
        .executableTarget(
            name: "FuzzZipkinJSON",
            dependencies: [.product(name: "SkeinIngestCodecs", package: "skein")]
        ),
    ]
)
