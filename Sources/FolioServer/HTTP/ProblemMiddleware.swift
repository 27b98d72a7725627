import Foundation
import Hummingbird
import Logging
import NIOCore

/// Turns every error a route throws into an `application/problem+json` answer and counts it.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            metrics.error(error.code)
            return ProblemResponse.response(error)
        } catch let error as HTTPError {
            let code: ServiceError.Code
            switch error.status.code {
            case 404: code = .notFound
            case 413: code = .bodyTooLarge
            case 401: code = .unauthorized
            case 415: code = .unsupportedMediaType
            case 400..<500: code = .badRequest
            default: code = .internal
            }
            metrics.error(code)
            var problem = ProblemResponse.response(ServiceError(code, error.body ?? error.status.reasonPhrase))
            problem.status = error.status
            return problem
        } catch is NIOTooManyBytesError {
            metrics.error(.bodyTooLarge)
            return ProblemResponse.response(ServiceError(.bodyTooLarge, "the request body is larger than the configured limit"))
        } catch {
            metrics.error(.internal)
            context.logger.error("unexpected error", metadata: ["error": .string("\(error)")])
            return ProblemResponse.response(ServiceError(.internal, "internal error"))
        }
    }
}
