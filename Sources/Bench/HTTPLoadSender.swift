import NIOCore
import NIOHTTP1

/// Sends ingest bodies over one keep-alive HTTP/1.1 connection (OTLP/HTTP or Zipkin).
public struct HTTPLoadSender: IngestSender {
    let connection: HTTPLoadConnection
    let path: String
    let headers: [(String, String)]

    public static func connect(port: Int, path: String, contentType: String) async throws -> HTTPLoadSender {
        HTTPLoadSender(connection: try await HTTPLoadConnection.connect(host: "127.0.0.1", port: port),
                       path: path, headers: [("Content-Type", contentType)])
    }

    public func send(_ body: [UInt8]) async throws -> IngestSendResult {
        let response = try await connection.send(method: .POST, path: path, headers: headers, body: ByteBuffer(bytes: body))
        return IngestSendResult(status: Int(response.status.code), retryAfterSeconds: response.retryAfterSeconds)
    }

    public func close() async {
        await connection.close()
    }
}
