import CompressNIO
import Hummingbird

/// Reads an ingest request body, decompressing as it streams in and stopping as soon as the
/// decompressed size passes the limit, so a small compressed "bomb" never allocates more than
/// the limit.
struct IngestBodyReader: Sendable {
    var maxBodyBytes: Int
    /// Decompressed output is produced in windows of this size.
    private let windowSize = 64 * 1024

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// - Parameter declaredLength: the `Content-Length`, when sent: a plain body declared larger
    ///   than the limit is refused before any of it is read.
    func read(_ body: RequestBody, encoding: ContentEncoding, declaredLength: Int? = nil) async throws -> [UInt8] {
        switch encoding {
        case .identity:
            if let declaredLength, declaredLength > maxBodyBytes { throw IngestBodyError.tooLarge(limit: maxBodyBytes) }
            return try await readPlain(body, expectedLength: declaredLength ?? 0)
        case .gzip: return try await readCompressed(body, algorithm: .gzip)
        case .deflate: return try await readCompressed(body, algorithm: nil)
        }
    }

    private func readPlain(_ body: RequestBody, expectedLength: Int) async throws -> [UInt8] {
        var collected: [UInt8] = []
        collected.reserveCapacity(max(0, expectedLength))
        for try await chunk in body {
            guard collected.count + chunk.readableBytes <= maxBodyBytes else {
                throw IngestBodyError.tooLarge(limit: maxBodyBytes)
            }
            collected.append(contentsOf: chunk.readableBytesView)
        }
        return collected
    }

    /// `algorithm` nil means HTTP `deflate`: zlib-wrapped or raw, told apart by the first bytes.
    private func readCompressed(_ body: RequestBody, algorithm: ZlibAlgorithm?) async throws -> [UInt8] {
        var decompressor: ZlibDecompressor?
        var collected: [UInt8] = []
        var window = ByteBuffer()
        var finished = false
        // Compressed input is bounded too (incompressible data grows slightly when compressed).
        let maxCompressedBytes = maxBodyBytes + maxBodyBytes / 64 + 1_024
        var compressedBytes = 0
        var pending = ByteBuffer()

        for try await chunk in body {
            compressedBytes += chunk.readableBytes
            guard compressedBytes <= maxCompressedBytes else { throw IngestBodyError.tooLarge(limit: maxBodyBytes) }
            if finished { continue }
            var input = chunk
            if decompressor == nil {
                // Wait for two bytes so a deflate body's zlib header can be recognised.
                pending.writeBuffer(&input)
                guard pending.readableBytes >= 2 else { continue }
                input = pending
                decompressor = try makeDecompressor(algorithm ?? Self.deflateFlavour(input))
            }
            guard let decompressor else { continue }
            finished = try inflate(&input, with: decompressor, into: &collected, window: &window)
        }
        if decompressor == nil, pending.readableBytes > 0 {
            var input = pending
            let flavour = try makeDecompressor(algorithm ?? .deflate)
            _ = try inflate(&input, with: flavour, into: &collected, window: &window)
        }
        return collected
    }

    /// Inflates all of `input`; returns true once the compressed stream is known to have ended.
    private func inflate(
        _ input: inout ByteBuffer, with decompressor: ZlibDecompressor, into collected: inout [UInt8],
        window: inout ByteBuffer
    ) throws -> Bool {
        while true {
            window.clear()
            window.reserveCapacity(minimumWritableBytes: windowSize)
            var windowFilled = false
            var needsMoreInput = false
            do {
                try decompressor.inflate(from: &input, to: &window)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                windowFilled = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                needsMoreInput = true
            } catch {
                throw IngestBodyError.corrupt("the compressed data is invalid or truncated")
            }
            guard collected.count + window.readableBytes <= maxBodyBytes else {
                throw IngestBodyError.tooLarge(limit: maxBodyBytes)
            }
            collected.append(contentsOf: window.readableBytesView)
            // A full window may leave output buffered inside zlib even when the input is used up.
            if windowFilled { continue }
            if needsMoreInput { return false }
            // Returned normally: either all input was consumed, or the stream ended before it
            // (the rest is trailing data, ignored).
            return input.readableBytes > 0
        }
    }

    private func makeDecompressor(_ algorithm: ZlibAlgorithm) throws -> ZlibDecompressor {
        do {
            return try ZlibDecompressor(algorithm: algorithm)
        } catch {
            throw IngestBodyError.corrupt("the decompressor could not start")
        }
    }

    /// A zlib stream starts with a header whose first 16 bits are a multiple of 31 with method 8.
    private static func deflateFlavour(_ buffer: ByteBuffer) -> ZlibAlgorithm {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return .deflate }
        let header = UInt16(first) << 8 | UInt16(second)
        return first & 0x0F == 8 && header % 31 == 0 ? .zlib : .deflate
    }
}
