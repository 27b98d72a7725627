import FolioRML
import Foundation
import Hummingbird

/// `application/problem+json` bodies (RFC 9457) for `ServiceError`s:
/// `{"type", "title", "status", "code", "detail", "location": {"file", "line", "column"}}`.
enum ProblemResponse {
    static let contentType = "application/problem+json"

    /// The JSON document of an error.
    static func document(_ error: ServiceError) -> [String: Any] {
        var body: [String: Any] = [
            "type": "https://folio.invalid/problems/\(error.code.rawValue)",
            "title": error.code.title,
            "status": error.code.status,
            "code": error.code.rawValue,
            "detail": error.message,
        ]
        if let loc = error.location {
            body["location"] = ["file": loc.file, "line": loc.line, "column": loc.column]
        }
        return body
    }

    /// The HTTP response of an error.
    static func response(_ error: ServiceError) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document(error), options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: contentType]
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
        return Response(status: .init(code: error.code.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension ServiceError: HTTPResponseError {
    public var status: HTTPResponse.Status { .init(code: code.status) }
    public var headers: HTTPFields { [:] }
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ProblemResponse.response(self)
    }
}
