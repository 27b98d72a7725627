import FolioPipeline
import FolioRML
import FolioRender
import FolioReports
import Foundation
import Logging

/// Renders for every front end (HTTP, XML-RPC, jobs): generation, layout and PDF output, with
/// the configured limits and metrics. Its methods block; call them on render threads (`pool`).
public final class RenderService: Sendable {
    public let engine: ReportEngine
    public let settings: RenderSettings
    public let limits: ServerConfiguration.Limits
    public let metrics: ServiceMetrics
    public let pool: RenderPool
    public let observer: (any RenderObserver)?
    let logger: Logger

    public init(engine: ReportEngine, settings: RenderSettings, limits: ServerConfiguration.Limits,
                metrics: ServiceMetrics, pool: RenderPool, observer: (any RenderObserver)? = nil, logger: Logger) {
        self.engine = engine; self.settings = settings; self.limits = limits; self.metrics = metrics
        self.pool = pool; self.observer = observer; self.logger = logger
    }

    /// Produces the RML (and data XML) of a source.
    public func generate(_ source: RenderSource) throws(ServiceError) -> GeneratedReport {
        let start = Date()
        defer { metrics.stage("generate", report: source.label, seconds: Date().timeIntervalSince(start)) }
        switch source {
        case .report(let request):
            do { return try RenderPipeline.generate(request, engine: engine) } catch { throw ServiceError(error) }
        case .rml(let rml, let name):
            return GeneratedReport(rml: rml, rmlName: name, baseDirectory: Self.emptyFolder)
        case .stylesheet(let xsl, let data, let dataName, let parameters):
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-xsl-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("posted.xsl")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try xsl.write(to: path)
            } catch {
                throw ServiceError(.internal, "cannot stage the posted stylesheet: \(error)")
            }
            // A cache of its own: a posted stylesheet is compiled once and never shared.
            let adHoc = ReportEngine(repository: engine.repository, stylesheets: StylesheetCache(), limits: engine.limits)
            do {
                var report = try adHoc.transform(stylesheet: path.path, sandbox: folder.path, data: data,
                                                 dataName: dataName, parameters: parameters)
                report.baseDirectory = Self.emptyFolder
                return report
            } catch {
                var e = ServiceError(error)
                // Locations name the staged copy; callers know it as the posted stylesheet.
                if var loc = e.location, loc.file == path.path { loc.file = "posted stylesheet"; e.location = loc }
                e.message = e.message.replacingOccurrences(of: path.path, with: "posted stylesheet")
                throw e
            }
        }
    }

    /// Renders a source in `format` to `destination`, page by page for PDFs.
    ///
    /// - Parameter onPage: called with the number of pages produced so far, as they are produced.
    public func render(_ source: RenderSource, format: RenderFormat, onPage: ((Int) -> Void)? = nil,
                       to destination: @escaping (UnsafeRawBufferPointer) -> Bool) throws(ServiceError) -> RenderOutcome {
        let label = source.label
        let observer = self.observer
        let observed: (UnsafeRawBufferPointer) -> Bool = { bytes in
            let accepted = destination(bytes)
            observer?.renderWrote(bytes: bytes.count, report: label)
            return accepted
        }
        do {
            let outcome = try renderUnobserved(source, format: format, onPage: onPage, to: observed)
            metrics.renderFinished(report: label, ok: true, pages: outcome.pages, bytes: outcome.bytes)
            observer?.renderEnded(report: label, error: nil)
            return outcome
        } catch {
            metrics.renderFinished(report: label, ok: false, pages: 0, bytes: 0)
            observer?.renderEnded(report: label, error: error)
            logger.info("render failed", metadata: ["report": .string(label), "code": .string(error.code.rawValue),
                                                    "error": .string(error.description)])
            throw error
        }
    }

    private func renderUnobserved(_ source: RenderSource, format: RenderFormat, onPage: ((Int) -> Void)?,
                                  to destination: @escaping (UnsafeRawBufferPointer) -> Bool) throws(ServiceError) -> RenderOutcome {
        let generated = try generate(source)
        switch format {
        case .rml, .raw:
            let bytes: Data
            if format == .rml {
                do { bytes = try generated.rmlData() } catch { throw ServiceError(error) }
            } else {
                guard let xml = generated.dataXML else {
                    throw ServiceError(.badRequest, "this report has no data XML to return (format raw)")
                }
                bytes = xml
            }
            let ok = bytes.withUnsafeBytes { destination($0) }
            guard ok else { throw ServiceError(.output, "the client went away") }
            return RenderOutcome(pages: 0, bytes: bytes.count)
        case .pdf:
            let start = Date()
            defer { metrics.stage("render", report: source.label, seconds: Date().timeIntervalSince(start)) }
            let sink = GuardedSink(deadline: start.addingTimeInterval(limits.renderSeconds), maxPages: limits.maxPages,
                                   onPage: onPage, destination: destination)
            do {
                try RenderPipeline.renderPDF(generated, settings: settings, to: sink)
            } catch {
                if let exceeded = sink.exceeded { throw exceeded }
                if sink.destinationFailed { throw ServiceError(.output, "the output was refused (client gone or job cancelled)") }
                throw ServiceError(error)
            }
            return RenderOutcome(pages: sink.pages, bytes: sink.bytes)
        }
    }

    /// Renders into memory.
    public func renderToData(_ source: RenderSource, format: RenderFormat = .pdf,
                             onPage: ((Int) -> Void)? = nil) throws(ServiceError) -> (Data, RenderOutcome) {
        final class Buffer: @unchecked Sendable { var data = Data() }
        let buffer = Buffer()
        let outcome = try render(source, format: format, onPage: onPage) { bytes in
            buffer.data.append(contentsOf: bytes)
            return true
        }
        return (buffer.data, outcome)
    }

    /// An empty folder posted documents resolve relative references against: they see no files
    /// of the server's through relative paths.
    static let emptyFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("folio-posted-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}
