import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import Web

/// A 500 from the pages or the Jaeger API says something went wrong and nothing more: the error
/// (its type, message, SQL, stack) goes only to the log.
@Suite struct SecurityErrorPagesTests {
    typealias FailingReader = DatabaseUnavailablePageTests.FailingReader

    @Test(arguments: ["/", "/search?service=cart", "/trace/4bf92f3577b34da6a3ce929d0e0e4736",
                      "/api/services", "/api/operations?service=cart", "/api/traces?service=cart",
                      "/api/traces/4bf92f3577b34da6a3ce929d0e0e4736", "/api/v3/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                      "/api/dependencies"])
    func anInternalErrorAnswersWithoutItsDetails(uri: String) async throws {
        try await DatabaseUnavailablePageTests.application(databaseReachable: true).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = String(buffer: response.body)
                for detail in ["ReadFailed", "FailingReader", "Storage.", "Error("] {
                    #expect(!body.contains(detail), "\(detail) leaked into \(uri)")
                }
            }
        }
    }
}
