import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` with one of the configured tokens on every route but
/// the health check and the XML-RPC endpoint (which checks OpenERP credentials instead).
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: Set<String>
    let open: Set<String> = ["/healthz"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if open.contains(path) || path.hasPrefix("/xmlrpc/") { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw ServiceError(.unauthorized, "this API needs 'Authorization: Bearer <token>'")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        // Compare against every token without stopping early, so timing says nothing about which.
        var matched = false
        for t in tokens where ConstantTime.equal(t, token) { matched = true }
        guard matched else { throw ServiceError(.unauthorized, "the bearer token is not valid") }
        return try await next(request, context)
    }
}

/// Secret comparison whose time does not depend on where the strings differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }
}
