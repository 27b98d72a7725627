import FolioPipeline
import FolioRML
import FolioReports
import Foundation

/// A failure the service reports to its caller: an HTTP status, a stable code, a message and the
/// place in a source (stylesheet, data, RML) when there is one. Rendered as
/// `application/problem+json` (RFC 9457) by `ProblemResponse`.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// Stable, documented codes (docs/api.md lists them with their statuses).
    public enum Code: String, Sendable, CaseIterable {
        case badRequest = "bad-request"
        case unauthorized
        case notFound = "not-found"
        case bodyTooLarge = "body-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case busy
        case disabled
        case badConfiguration = "bad-configuration"
        // Render failures, by stage.
        case stylesheet = "stylesheet-error"
        case data = "data-error"
        case definition = "definition-error"
        case package = "package-error"
        case database = "database-error"
        case limit = "limit-exceeded"
        case security = "security-error"
        case reportNotFound = "report-not-found"
        case document = "document-error"
        case fonts = "fonts-error"
        case output = "output-error"
        case jobNotFinished = "job-not-finished"
        case jobFailed = "job-failed"
        case queue = "queue-error"
        case `internal` = "internal-error"

        /// The HTTP status a code is answered with.
        public var status: Int {
            switch self {
            case .badRequest, .data, .document: return 400
            case .unauthorized: return 401
            case .security, .disabled: return 403
            case .notFound, .reportNotFound: return 404
            case .jobNotFinished: return 409
            case .bodyTooLarge: return 413
            case .unsupportedMediaType: return 415
            case .stylesheet, .definition, .package, .limit, .jobFailed: return 422
            case .busy: return 429
            case .database, .queue: return 503
            case .badConfiguration, .fonts, .output, .internal: return 500
            }
        }

        /// Short title for the problem document.
        public var title: String {
            rawValue.replacingOccurrences(of: "-", with: " ").capitalized
        }
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    /// Seconds to wait before retrying (429).
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, retryAfter: Int? = nil) {
        self.code = code; self.message = message; self.location = location; self.retryAfter = retryAfter
    }

    public var description: String {
        if let location { return "\(location): \(code.rawValue): \(message)" }
        return "\(code.rawValue): \(message)"
    }

    /// Maps a pipeline failure to its code.
    public init(_ failure: RenderFailure) {
        let code: Code
        switch failure.stage {
        case .report(let kind):
            switch kind {
            case .stylesheet: code = .stylesheet
            case .data: code = .data
            case .definition: code = .definition
            case .package: code = .package
            case .database: code = .database
            case .limit: code = .limit
            case .security: code = .security
            case .notFound: code = .reportNotFound
            }
        case .document: code = .document
        case .fonts: code = .fonts
        case .output: code = .output
        }
        self.init(code, failure.message, at: failure.location)
    }

    /// Maps a report-stage error to its code.
    public init(_ error: ReportError) {
        self.init(RenderFailure(stage: .report(error.kind), message: error.message, location: error.location))
    }
}
