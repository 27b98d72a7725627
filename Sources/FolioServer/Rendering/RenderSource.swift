import FolioReports
import Foundation

/// What one render prints.
public enum RenderSource: Sendable {
    /// A report of an installed package (or a registered coded report), with its data.
    case report(ReportRequest)
    /// Posted RML.
    case rml(Data, name: String)
    /// A posted XSL:RML stylesheet applied to posted data (XML, or JSON mapped to XML).
    case stylesheet(Data, data: Data, dataName: String, parameters: [String: String])

    /// The metrics label: the report name, or `adhoc-rml` / `adhoc-xsl`.
    public var label: String {
        switch self {
        case .report(let r): return r.report
        case .rml: return "adhoc-rml"
        case .stylesheet: return "adhoc-xsl"
        }
    }
}

/// What a render returns: the PDF, the generated RML, or the data XML the stylesheet read
/// (OpenERP's `raw` report type).
public enum RenderFormat: String, Sendable, Codable, CaseIterable {
    case pdf, rml, raw

    /// The media type of the body.
    public var contentType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .rml, .raw: return "application/xml"
        }
    }

    /// The file name extension.
    public var fileExtension: String {
        switch self {
        case .pdf: return "pdf"
        case .rml: return "rml"
        case .raw: return "xml"
        }
    }
}

/// Pages and bytes of a finished render.
public struct RenderOutcome: Sendable, Equatable {
    public var pages: Int
    public var bytes: Int
    public init(pages: Int, bytes: Int) { self.pages = pages; self.bytes = bytes }
}

/// Instrumentation of renders (logging, tracing, tests): called on the render thread.
public protocol RenderObserver: Sendable {
    /// Bytes of the output were handed to the destination (called after it took them).
    func renderWrote(bytes: Int, report: String)
    /// The render ended (successfully or not).
    func renderEnded(report: String, error: ServiceError?)
}
