import Hummingbird

/// A rendered HTML page with its status, as a handler's response.
struct HTMLPage: ResponseGenerator {
    var status: HTTPResponse.Status
    var html: String
    /// When set, the response is a 303 redirect here instead of the page.
    var redirectLocation: String?

    init(status: HTTPResponse.Status, html: String) {
        self.status = status
        self.html = html
    }

    /// A 303 redirect to a path the server built (never one taken from the request).
    static func redirect(to location: String) -> HTMLPage {
        var page = HTMLPage(status: .seeOther, html: "")
        page.redirectLocation = location
        return page
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        if let redirectLocation {
            return Response(status: .seeOther, headers: [.location: redirectLocation, .contentLength: "0"])
        }
        let buffer = ByteBuffer(string: html)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLength] = String(buffer.readableBytes)
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
