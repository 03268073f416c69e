import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts OTLP/HTTP protobuf export requests and retries the retryable failures.
struct OTLPHTTPExporter: Sendable {
    /// How one batch ended.
    enum Outcome: Sendable, Equatable {
        case delivered(retries: Int)
        case failed(retries: Int)
        case cancelled
    }

    let url: URL
    let session: URLSession
    let retryPolicy: DemoRetryPolicy
    let logger: Logger

    /// Sends one batch, retrying retryable failures, but never waiting for a retry past `deadline`
    /// (the end of a run with a duration).
    func export(_ body: [UInt8], deadline: ContinuousClock.Instant? = nil) async -> Outcome {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        request.setValue("skein-demo", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(body)
        var attempt = 1
        while true {
            if Task.isCancelled { return .cancelled }
            let failure: String
            var retryAfter: Duration?
            do {
                let (data, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return .delivered(retries: attempt - 1) }
                failure = "HTTP \(status)" + Self.excerpt(of: data)
                guard DemoRetryPolicy.isRetryable(status: status) else {
                    logger.warning("demo traffic: the receiver refused a batch; not retrying",
                                   metadata: ["url": "\(url)", "status": "\(status)", "response": "\(failure)"])
                    return .failed(retries: attempt - 1)
                }
                retryAfter = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After")
                    .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    .map { .seconds($0) }
            } catch {
                if Task.isCancelled { return .cancelled }
                failure = "\(error.localizedDescription)"
            }
            guard let delay = retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter),
                  deadline.map({ ContinuousClock.now + delay < $0 }) ?? true else {
                logger.warning("demo traffic: giving up on a batch; is Skein running and listening for OTLP/HTTP?",
                               metadata: ["url": "\(url)", "attempts": "\(attempt)", "error": "\(failure)"])
                return .failed(retries: attempt - 1)
            }
            logger.debug("demo traffic: export failed, retrying",
                         metadata: ["url": "\(url)", "attempt": "\(attempt)", "error": "\(failure)"])
            do {
                try await Task.sleep(for: delay)
            } catch {
                return .cancelled
            }
            attempt += 1
        }
    }

    private static func excerpt(of data: Data) -> String {
        guard !data.isEmpty else { return "" }
        let text = String(decoding: data.prefix(200), as: UTF8.self)
            .filter { !$0.isNewline && ($0.isLetter || $0.isNumber || $0.isPunctuation || $0.isWhitespace || $0.isSymbol) }
        return text.isEmpty ? "" : ": " + text
    }
}
