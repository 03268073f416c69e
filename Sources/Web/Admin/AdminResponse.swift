import Hummingbird

/// Answers of the admin pages: never cached (they may hold a token secret or audit entries).
enum AdminResponse {
    /// An HTML page.
    static func html(_ html: String, status: HTTPResponse.Status) -> Response {
        let buffer = ByteBuffer(string: html)
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentLength: String(buffer.readableBytes), .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: buffer))
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
