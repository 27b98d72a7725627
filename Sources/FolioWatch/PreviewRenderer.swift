import FolioPipeline
import FolioRML
import FolioRender
import FolioReports
import Foundation

/// One render of the watched target, for the browser: the pages as PNG, or the error with the
/// source lines around its place.
public struct PreviewOutcome: Sendable {
    /// An error's place and the lines around it.
    public struct Problem: Sendable, Codable, Equatable {
        public struct Line: Sendable, Codable, Equatable {
            public var number: Int
            public var text: String
            public var isErrorLine: Bool
        }
        public var message: String
        public var file: String?
        public var line: Int?
        public var column: Int?
        public var context: [Line]
    }

    public var pages: [Data]
    public var warnings: [String]
    public var problem: Problem?
    public var milliseconds: Int
}

/// Renders a `WatchTarget` to page images. One engine per watch session, so compiled stylesheets
/// are reused until their files change.
public final class PreviewRenderer: Sendable {
    public let target: WatchTarget
    public let settings: RenderSettings
    public let dpi: Double
    let engine: ReportEngine?

    public init(target: WatchTarget, settings: RenderSettings, dpi: Double = 96) {
        self.target = target
        self.settings = settings
        self.dpi = dpi
        switch target {
        case .report(_, let repository, _):
            engine = ReportEngine(repository: PackageRepository(root: URL(fileURLWithPath: repository)))
        case .stylesheet(_, _, let sandbox):
            // Ad-hoc transforms use only the engine's stylesheet cache; its repository is unused.
            engine = ReportEngine(repository: PackageRepository(root: URL(fileURLWithPath: sandbox)))
        case .rml:
            engine = nil
        }
    }

    /// Renders now (blocking).
    public func render() -> PreviewOutcome {
        let start = Date()
        func elapsed() -> Int { Int(Date().timeIntervalSince(start) * 1000) }
        do {
            let sink = BufferSink()
            let report = try renderPDF(to: sink)
            let pages = try PDFRasterizer.pngPages(ofPDF: sink.data, dpi: dpi)
            return PreviewOutcome(pages: pages, warnings: report.diagnostics.map(\.description), problem: nil, milliseconds: elapsed())
        } catch let failure as RenderFailure {
            return PreviewOutcome(pages: [], warnings: failure.diagnostics.map(\.description),
                                  problem: Self.problem(failure.message, failure.location), milliseconds: elapsed())
        } catch let error as ReportError {
            return PreviewOutcome(pages: [], warnings: [], problem: Self.problem(error.message, error.location), milliseconds: elapsed())
        } catch {
            return PreviewOutcome(pages: [], warnings: [], problem: Self.problem("\(error)", nil), milliseconds: elapsed())
        }
    }

    private func renderPDF(to sink: BufferSink) throws -> RenderReport {
        switch target {
        case .rml(let path):
            guard let rml = FileManager.default.contents(atPath: path) else {
                throw RenderFailure(stage: .document, message: "cannot read '\(path)'")
            }
            let dir = (path as NSString).deletingLastPathComponent
            return try RenderPipeline.renderPDF(rml: rml, named: path, baseDirectory: dir.isEmpty ? nil : dir,
                                                settings: settings, to: sink)
        case .stylesheet(let path, let data, let sandbox):
            guard let bytes = FileManager.default.contents(atPath: data) else {
                throw RenderFailure(stage: .report(.data), message: "cannot read '\(data)'")
            }
            let generated = try engine!.transform(stylesheet: path, sandbox: sandbox, data: bytes, dataName: data)
            return try RenderPipeline.renderPDF(generated, settings: settings, to: sink)
        case .report(let name, _, let data):
            let input: ReportRequest.DataInput
            if let data {
                guard let bytes = FileManager.default.contents(atPath: data) else {
                    throw RenderFailure(stage: .report(.data), message: "cannot read '\(data)'")
                }
                input = .posted(bytes, name: data)
            } else {
                input = .sample
            }
            let generated = try engine!.generate(ReportRequest(report: name, data: input))
            return try RenderPipeline.renderPDF(generated, settings: settings, to: sink)
        }
    }

    /// The error with up to three lines before and after its place, when the file can be read.
    static func problem(_ message: String, _ location: SourceLocation?) -> PreviewOutcome.Problem {
        var p = PreviewOutcome.Problem(message: message, file: location?.file, line: location?.line, column: location?.column, context: [])
        var location = location
        // In generated RML, show the stylesheet lines that wrote the element.
        if let r = message.range(of: #"\(written by (.+):(\d+)\)"#, options: .regularExpression) {
            let inner = message[r].dropFirst("(written by ".count).dropLast()
            if let colon = inner.lastIndex(of: ":"), let line = Int(inner[inner.index(after: colon)...]) {
                location = SourceLocation(file: String(inner[..<colon]), line: line, column: 1)
            }
        }
        if let location, location.line > 0,
           let text = try? String(contentsOfFile: location.file, encoding: .utf8) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = max(1, location.line - 3), last = min(lines.count, location.line + 3)
            if first <= last {
                p.context = (first...last).map { n in
                    .init(number: n, text: String(lines[n - 1].prefix(400)), isErrorLine: n == location.line)
                }
            }
        }
        return p
    }
}
