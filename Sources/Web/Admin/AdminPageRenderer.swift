import Hummingbird
import Logging
import Mustache

/// Renders an admin or account page's view model with its Mustache template into an uncached
/// HTML answer; a missing template is logged and answered with 500.
struct AdminPageRenderer: Sendable {
    let templates: MustacheLibrary
    let logger: Logger

    func render(_ page: Any, template: String, status: HTTPResponse.Status) -> Response {
        guard let html = templates.render(page, withTemplate: template) else {
            logger.error("Page template is missing", metadata: ["template": "\(template)"])
            return AdminResponse.text(.internalServerError, "The page template is missing.")
        }
        return AdminResponse.html(html, status: status)
    }
}
