// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Skein's three wire decoders (see docs/fuzzing.md and scripts/fuzz).
// Build (scripts/fuzz does) in Fuzz/.build, never in the root package's .build:
//   swift build -c release --package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
//       -Xswiftc -parse-as-library
// --sanitize=fuzzer stops SwiftPM aliasing main to <Target>_main (libFuzzer brings main); the
// -Xswiftc flag, coming last, gives swiftc both sanitizers (a second -sanitize= replaces the first).
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
