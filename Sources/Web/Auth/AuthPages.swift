import Hummingbird

/// Responses shared by the sign-in and setup pages.
enum AuthPages {
    /// `html` as an uncached page; a plain 500 when the template failed to render.
    static func html(_ html: String?, status: HTTPResponse.Status) -> Response {
        guard let html else {
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "The page could not be shown.\n")))
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
