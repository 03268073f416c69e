import Ingest

/// libFuzzer entry point for Zipkin v2 JSON bodies (ZipkinCodec.decodeJSON): any input must decode or be refused with
/// `IngestDecodingError`, and what is accepted must keep `DecoderInvariants`. A broken
/// invariant stops the run like a crash, so libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let violations = DecoderInvariants.violations(in: bytes, decodedBy: .zipkinJSON)
    if !violations.isEmpty {
        fatalError("FuzzZipkinJSON: " + violations.joined(separator: "; "))
    }
    return 0
}
