import Hummingbird

/// Why an admin request is refused before its page is built.
enum AdminRefusal: Error {
    case forbidden
    case badFormToken

    var response: Response {
        switch self {
        case .forbidden: return AdminResponse.text(.forbidden, "You may not use this page.")
        case .badFormToken: return AdminResponse.text(.forbidden, "The form has expired. Reload the page and try again.")
        }
    }
}
