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

    /// 303 to `location`, the answer to a successful POST.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .contentLength: "0", .cacheControl: "no-store"])
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
