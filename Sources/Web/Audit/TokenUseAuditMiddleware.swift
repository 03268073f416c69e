import Hummingbird

/// Records the use of a read token on the UI listener (`ReadAuditRecorder.recordTokenUse`,
/// at most once per token per minute) with the route pattern the request matched.
///
/// Placed after `RouteGuard`, so it sees only requests the token was allowed to make; requests no
/// route matched are not recorded. The entry is written once the handler has answered (the
/// route pattern is known only then).
public struct TokenUseAuditMiddleware: RouterMiddleware {
    public typealias Context = SkeinRequestContext

    let recorder: ReadAuditRecorder

    public init(recorder: ReadAuditRecorder) {
        self.recorder = recorder
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            await record(context)
            return response
        } catch {
            // A route that answered by throwing (a 400, say) was still reached with the token.
            await record(context)
            throw error
        }
    }

    private func record(_ context: Context) async {
        guard case .apiToken = context.principal?.identity, let pattern = context.endpointPath else { return }
        await recorder.recordTokenUse(principal: context.principal, routePattern: pattern, clientAddress: context.clientAddress)
    }
}
