import Hummingbird

/// A rendered HTML page with its status, as a handler's response.
struct HTMLPage: ResponseGenerator {
    var status: HTTPResponse.Status
    var html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let buffer = ByteBuffer(string: html)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLength] = String(buffer.readableBytes)
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
