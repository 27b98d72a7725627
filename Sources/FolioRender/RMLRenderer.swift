import FolioLayout
import FolioRML
import Foundation

/// Options for rendering an RML document.
public struct RenderOptions: Sendable {
    /// Folder with Folio's fonts and `fonts.conf`.
    public var fontsDirectory: String
    /// How file references are found.
    public var resolver: ResourceResolver
    /// Unknown elements/attributes and recoverable problems become errors.
    public var strict = false
    /// Fixed creation date (`YYYY-MM-DDThh:mm:ss`) for reproducible PDFs.
    public var creationDate: String?
    /// Which implementation's defaults to follow; nil = detect from the document.
    public var dialect: RMLDialect?
    /// Draw pages into the PDF on a second thread while the next ones are laid out; nil: when the
    /// machine has more than one core.
    public var drawOnSecondThread: Bool?
    /// Called after each page is laid out and handed to the PDF, with the pages done so far and
    /// the total when a counting pass knows it (documents that print "Page X of Y").
    public var progress: (@Sendable (_ pagesDone: Int, _ totalPages: Int?) -> Void)?

    public init(fontsDirectory: String, resolver: ResourceResolver) {
        self.fontsDirectory = fontsDirectory
        self.resolver = resolver
    }

    /// Locates Folio's fonts folder: `FOLIO_FONTS`, then a `fonts/` folder beside or above the
    /// executable, then above the working directory, then the installed share folder.
    public static func defaultFontsDirectory() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["FOLIO_FONTS"], !env.isEmpty { return env }
        var starts = [fm.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.insert(exe, at: 0)
        if let real = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.insert((real as NSString).deletingLastPathComponent, at: 0)
        }
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = (dir as NSString).appendingPathComponent("fonts")
                if fm.fileExists(atPath: (candidate as NSString).appendingPathComponent("fonts.conf")) { return candidate }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        for dir in ["/usr/local/share/folio/fonts", "/usr/share/folio/fonts"]
        where fm.fileExists(atPath: (dir as NSString).appendingPathComponent("fonts.conf")) {
            return dir
        }
        return nil
    }
}

/// The result of a render: pages written and the warnings collected.
public struct RenderReport: Sendable {
    public var pages: Int
    public var diagnostics: [Diagnostic]
    public init(pages: Int, diagnostics: [Diagnostic]) { self.pages = pages; self.diagnostics = diagnostics }
}

/// RML → PDF/PNG: parse, lay out page by page, draw each page as soon as it is laid out.
public enum RMLRenderer {
    /// Any failure of a render, with its location when it has one.
    public enum Failure: Error, CustomStringConvertible {
        case document(RMLError)
        case font(FontError)
        case output(RenderError)
        public var description: String {
            switch self {
            case .document(let e): return e.description
            case .font(let e): return "error: " + e.message
            case .output(let e): return "error: " + e.message
            }
        }
    }

    /// Lays out a parsed document and writes the PDF to `sink`.
    public static func renderPDF(_ document: RMLDocument, to sink: OutputSink, options: RenderOptions,
                                 diagnostics: DiagnosticSink) throws(Failure) -> RenderReport {
        let fonts: FontEnvironment
        do { fonts = try FontEnvironment(fontsDirectory: options.fontsDirectory) } catch { throw .font(error) }
        let shaper = PangoShaper(fonts: fonts)
        let ctx = LayoutContext(shaper: shaper, diagnostics: diagnostics, resolver: options.resolver)
        ctx.dialectOverride = options.dialect
        let layout: DocumentLayout
        do { layout = try DocumentLayout(document: document, context: ctx) } catch { throw .document(error) }
        // With a second core, pages are drawn on a thread of their own (with its own fonts: Pango
        // font maps are per thread) while the next ones are laid out.
        let parallel = options.drawOnSecondThread ?? (ProcessInfo.processInfo.activeProcessorCount > 1)
        var drawFonts = fonts
        if parallel {
            do { drawFonts = try fonts.copy(fontsDirectory: options.fontsDirectory) } catch { throw .font(error) }
        }
        let pdf = PDFRenderer(sink: sink, fonts: drawFonts, info: ctx.info, creationDate: options.creationDate)
        let drawer = parallel ? PageDrawingThread(pdf: pdf) : nil
        drawer?.start()
        var outputError: RenderError?
        let pages: Int
        var done = 0
        let progress = options.progress
        let total: () -> Int? = { document.needsCountingPass ? ctx.pageCount : nil }
        do {
            pages = try layout.run { page throws(RMLError) in
                do throws(RenderError) {
                    if let drawer { try drawer.submit(page) } else { try pdf.draw(page) }
                } catch {
                    outputError = error
                    throw RMLError(error.message, at: nil)
                }
                done += 1
                progress?(done, total())
            }
        } catch {
            if let drawer {
                do throws(RenderError) { try drawer.close() } catch { outputError = outputError ?? error }
            }
            if let outputError { throw .output(outputError) }
            throw .document(error)
        }
        if let drawer {
            do { try drawer.close() } catch { throw .output(error) }
        }
        do { try pdf.finish() } catch { throw .output(error) }
        return RenderReport(pages: pages, diagnostics: diagnostics.diagnostics)
    }

    /// Lays out a document up to page `number` and writes that page as a PNG.
    public static func renderPNG(_ document: RMLDocument, page number: Int, dpi: Double, to path: String,
                                 options: RenderOptions, diagnostics: DiagnosticSink) throws(Failure) -> RenderReport {
        let fonts: FontEnvironment
        do { fonts = try FontEnvironment(fontsDirectory: options.fontsDirectory) } catch { throw .font(error) }
        let shaper = PangoShaper(fonts: fonts)
        let ctx = LayoutContext(shaper: shaper, diagnostics: diagnostics, resolver: options.resolver)
        ctx.dialectOverride = options.dialect
        var found: Page?
        let pages: Int
        do {
            let layout = try DocumentLayout(document: document, context: ctx)
            pages = try layout.run { page throws(RMLError) in
                if page.number == number { found = page }
            }
        } catch { throw .document(error) }
        guard let found else {
            throw .output(RenderError("page \(number) does not exist: the document has \(pages) page\(pages == 1 ? "" : "s")"))
        }
        do { try PNGRenderer.write(found, fonts: fonts, dpi: dpi, to: path) } catch { throw .output(error) }
        return RenderReport(pages: pages, diagnostics: diagnostics.diagnostics)
    }

    /// Parses and lays out without writing anything.
    public static func check(_ document: RMLDocument, options: RenderOptions, diagnostics: DiagnosticSink) throws(Failure) -> RenderReport {
        let fonts: FontEnvironment
        do { fonts = try FontEnvironment(fontsDirectory: options.fontsDirectory) } catch { throw .font(error) }
        let ctx = LayoutContext(shaper: PangoShaper(fonts: fonts), diagnostics: diagnostics, resolver: options.resolver)
        ctx.dialectOverride = options.dialect
        do {
            let pages = try DocumentLayout(document: document, context: ctx).run { _ throws(RMLError) in }
            return RenderReport(pages: pages, diagnostics: diagnostics.diagnostics)
        } catch { throw .document(error) }
    }
}
