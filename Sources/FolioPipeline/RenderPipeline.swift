import FolioLayout
import FolioRML
import FolioRender
import FolioReports
import Foundation

/// Settings every render shares: Folio's fonts, strictness, dialect, fixed creation date and
/// where references resolve.
public struct RenderSettings: Sendable {
    /// Folder with Folio's fonts and `fonts.conf`.
    public var fontsDirectory: String
    /// Treat warnings (unknown elements, bad values, missing images) as errors.
    public var strict = false
    /// Defaults where RML implementations differ (nil: detected from the document).
    public var dialect: RMLDialect?
    /// Fixed PDF creation date (ISO 8601), for byte-identical output.
    public var creationDate: String?
    /// Extra folders searched for images and fonts.
    public var searchPaths: [String] = []
    /// Reference prefixes mapped to folders (`[z3c.rml]/tests` → a folder).
    public var mappings: [(prefix: String, directory: String)] = []
    /// Called after each page with the pages done and, when known, the total.
    public var progress: (@Sendable (_ pagesDone: Int, _ totalPages: Int?) -> Void)?
    /// Read the story from the source as the layout goes instead of parsing the document whole
    /// (nil: for documents of `streamingThreshold` bytes or more, and RML still being produced).
    public var streamStory: Bool?
    /// The size from which documents are streamed.
    public static let streamingThreshold = 1 << 20

    public init(fontsDirectory: String) { self.fontsDirectory = fontsDirectory }

    /// Settings with Folio's fonts folder (`FOLIO_FONTS`, or `fonts/` of the installation) and
    /// `SOURCE_DATE_EPOCH` as the creation date when set.
    public static func standard() -> RenderSettings? {
        guard let fonts = RenderOptions.defaultFontsDirectory() else { return nil }
        var s = RenderSettings(fontsDirectory: fonts)
        s.creationDate = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Double($0) }.map {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            return f.string(from: Date(timeIntervalSince1970: $0))
        }
        return s
    }
}

/// A render that failed, at any stage, with the place it points to.
public struct RenderFailure: Error, Sendable, CustomStringConvertible {
    /// The stage that failed, for exit codes and HTTP statuses.
    public enum Stage: Sendable, Equatable {
        /// Producing the RML (definition, data, stylesheet, database, package, limits).
        case report(ReportError.Kind)
        /// Parsing or laying out the RML.
        case document
        /// Folio's fonts could not be loaded.
        case fonts
        /// Writing the output failed (disk full, client gone).
        case output
    }

    public var stage: Stage
    public var message: String
    public var location: SourceLocation?
    /// Warnings recorded before the failure.
    public var diagnostics: [Diagnostic]

    public init(stage: Stage, message: String, location: SourceLocation? = nil, diagnostics: [Diagnostic] = []) {
        self.stage = stage; self.message = message; self.location = location; self.diagnostics = diagnostics
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}

/// The whole pipeline, one render: report (or RML) → parsed RML → laid-out pages → PDF bytes in
/// a sink, page by page. Stateless; safe to call from many threads at once.
public enum RenderPipeline {
    /// Parses RML held in memory. Locations name `name`; relative references resolve against
    /// `baseDirectory`, then `resourcePaths`, then the settings' search paths.
    public static func parse(rml: Data, named name: String, diagnostics: DiagnosticSink) throws(RenderFailure) -> RMLDocument {
        do {
            return try RMLParser(fileName: name).parse(rml, diagnostics: diagnostics)
        } catch {
            throw RenderFailure(stage: .document, message: error.message, location: error.location, diagnostics: diagnostics.diagnostics)
        }
    }

    /// Parses RML from a source: whole, or (large documents, RML being produced, or `stream`)
    /// only up to the story, which the layout then reads as it goes.
    public static func parse(source: RMLSource, stream: Bool? = nil, needsCountingPass: Bool? = nil,
                             diagnostics: DiagnosticSink) throws(RenderFailure) -> RMLDocument {
        let streaming = stream ?? (!source.isComplete || source.byteCount >= RenderSettings.streamingThreshold)
        do {
            return try RMLParser(fileName: source.name).parse(source, streamingStory: streaming, countingPass: needsCountingPass,
                                                              diagnostics: diagnostics)
        } catch {
            throw RenderFailure(stage: .document, message: error.message, location: error.location, diagnostics: diagnostics.diagnostics)
        }
    }

    /// Render options for a document whose references resolve against `baseDirectory` then
    /// `resourcePaths`.
    public static func options(_ settings: RenderSettings, baseDirectory: String?, resourcePaths: [String] = []) -> RenderOptions {
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        var options = RenderOptions(fontsDirectory: settings.fontsDirectory,
                                    resolver: ResourceResolver(baseDirectory: base, searchPaths: settings.searchPaths + resourcePaths,
                                                               mappings: settings.mappings))
        options.strict = settings.strict
        options.dialect = settings.dialect
        options.creationDate = settings.creationDate
        options.progress = settings.progress
        return options
    }

    /// Renders RML bytes to PDF in `sink`.
    @discardableResult
    public static func renderPDF(rml: Data, named name: String, baseDirectory: String?, resourcePaths: [String] = [],
                                 settings: RenderSettings, to sink: OutputSink,
                                 origins: GeneratedRMLOrigins? = nil) throws(RenderFailure) -> RenderReport {
        try renderPDF(source: RMLSource(data: rml, name: name), baseDirectory: baseDirectory, resourcePaths: resourcePaths,
                      settings: settings, to: sink, origins: origins)
    }

    /// Renders RML from a source (memory, a file, or a spool being written) to PDF in `sink`.
    @discardableResult
    public static func renderPDF(source: RMLSource, needsCountingPass: Bool? = nil, baseDirectory: String?, resourcePaths: [String] = [],
                                 settings: RenderSettings, to sink: OutputSink,
                                 origins: GeneratedRMLOrigins? = nil) throws(RenderFailure) -> RenderReport {
        let diagnostics = DiagnosticSink(strict: settings.strict)
        let name = source.name
        // Origins map places in RML held in memory (generated by a whole-tree transform).
        let rml: Data = origins != nil ? ((try? source.data()) ?? Data()) : Data()
        func annotated(_ ds: [Diagnostic]) -> [Diagnostic] {
            origins.map { $0.annotate(ds, rmlName: name, rml: rml) } ?? ds
        }
        do {
            let document = try parse(source: source, stream: settings.streamStory, needsCountingPass: needsCountingPass,
                                     diagnostics: diagnostics)
            var report = try RMLRenderer.renderPDF(document, to: sink,
                                                   options: options(settings, baseDirectory: baseDirectory, resourcePaths: resourcePaths),
                                                   diagnostics: diagnostics)
            report.diagnostics = annotated(report.diagnostics)
            return report
        } catch let failure as RenderFailure {
            source.cancel()
            throw located(failure, origins: origins, name: name, rml: rml, diagnostics: annotated(diagnostics.diagnostics))
        } catch let error as RMLRenderer.Failure {
            source.cancel()
            var f: RenderFailure
            switch error {
            case .document(let e): f = RenderFailure(stage: .document, message: e.message, location: e.location)
            case .font(let e): f = RenderFailure(stage: .fonts, message: e.message)
            case .output(let e): f = RenderFailure(stage: .output, message: e.message)
            }
            throw located(f, origins: origins, name: name, rml: rml, diagnostics: annotated(diagnostics.diagnostics))
        } catch {
            source.cancel()
            throw RenderFailure(stage: .document, message: "\(error)", diagnostics: annotated(diagnostics.diagnostics))
        }
    }

    /// Renders a generated report (see `ReportEngine.generate`) to PDF in `sink`.
    @discardableResult
    public static func renderPDF(_ report: GeneratedReport, settings: RenderSettings, to sink: OutputSink) throws(RenderFailure) -> RenderReport {
        try renderPDF(source: report.rmlSource, needsCountingPass: report.needsCountingPass, baseDirectory: report.baseDirectory?.path,
                      resourcePaths: report.resourcePaths.map(\.path), settings: settings, to: sink, origins: report.origins)
    }

    /// Produces a report's RML with `engine`, mapping its errors to `RenderFailure`.
    public static func generate(_ request: ReportRequest, engine: ReportEngine) throws(RenderFailure) -> GeneratedReport {
        do {
            return try engine.generate(request)
        } catch {
            throw RenderFailure(stage: .report(error.kind), message: error.message, location: error.location)
        }
    }

    private static func located(_ failure: RenderFailure, origins: GeneratedRMLOrigins?, name: String, rml: Data,
                                diagnostics: [Diagnostic]) -> RenderFailure {
        var f = failure
        f.diagnostics = diagnostics
        if let origins, let loc = f.location, loc.file == name, let origin = origins.origin(of: loc, in: rml) {
            f.message += " (written by \(origin.file):\(origin.line))"
        }
        return f
    }
}
