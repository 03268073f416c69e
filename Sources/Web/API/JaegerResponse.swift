import Foundation
import Hummingbird

/// The Jaeger query service's response envelope (`structuredResponse`):
/// `{"data": ..., "total": n, "limit": 0, "offset": 0, "errors": null}`.
struct JaegerResponse<Payload: Encodable>: Encodable {
    var data: Payload?
    var total: Int
    var errors: [JaegerError]?

    enum CodingKeys: String, CodingKey {
        case data, total, limit, offset, errors
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let data { try container.encode(data, forKey: .data) } else { try container.encodeNil(forKey: .data) }
        try container.encode(total, forKey: .total)
        try container.encode(0, forKey: .limit)
        try container.encode(0, forKey: .offset)
        if let errors { try container.encode(errors, forKey: .errors) } else { try container.encodeNil(forKey: .errors) }
    }
}

/// One entry of a Jaeger response's `errors` list.
struct JaegerError: Encodable, Error {
    var code: Int
    var msg: String

    static func badRequest(_ message: String) -> JaegerError { JaegerError(code: 400, msg: message) }
}

/// Builds JSON responses for the Jaeger API.
enum JaegerJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            let bytes = try encoder.encode(value)
            return bytesResponse(Array(bytes), status: status)
        } catch {
            // Encoding plain structs of strings and numbers cannot fail except for non-finite doubles.
            return bytesResponse(Array(#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"response could not be encoded"}]}"#.utf8), status: .internalServerError)
        }
    }

    static func data(_ payload: some Encodable, total: Int) -> Response {
        response(JaegerResponse(data: payload, total: total, errors: nil))
    }

    static func error(_ error: JaegerError) -> Response {
        response(
            JaegerResponse<[String]>(data: nil, total: 0, errors: [error]),
            status: HTTPResponse.Status(code: error.code))
    }

    static func bytesResponse(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
