import ArgumentParser
import FolioLayout
import FolioPipeline
import FolioRML
import FolioRender
import FolioReports
import Foundation

@main
struct Folio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Render reports (RML, XSL:RML stylesheets, report packages) to PDF.",
        subcommands: [Render.self, Preview.self, Check.self, Packages.self, Serve.self, Worker.self, Validate.self, Diff.self, Watch.self])
}

/// Options shared by every command that reads an RML file.
struct DocumentOptions: ParsableArguments {
    @Argument(help: "The RML file to read ('-' for standard input).")
    var input: String?

    @Flag(help: "Treat warnings (unknown elements or attributes, bad values) as errors.")
    var strict = false

    @Option(name: .customLong("resource-path"), help: "A folder searched for images and fonts (repeatable).")
    var resourcePaths: [String] = []

    @Option(name: .customLong("map"), help: "Map a reference prefix to a folder, as PREFIX=DIR (repeatable).")
    var mappings: [String] = []

    @Option(help: "Folio's fonts folder (default: FOLIO_FONTS, or the fonts/ folder of the installation).")
    var fonts: String?

    @Option(help: "Defaults to follow where RML implementations differ: z3c or openerp (default: detected).")
    var dialect: String?

    @Option(help: "Read the story as the layout goes (long documents in flat memory): auto (from 1 MB), always or never.")
    var streaming = "auto"

    /// The render settings these options describe.
    func settings() throws -> RenderSettings {
        var s = try commandLineSettings(fonts: fonts)
        s.strict = strict
        s.searchPaths = resourcePaths
        s.mappings = try parsedMappings()
        if let dialect {
            guard let d = RMLDialect(rawValue: dialect.lowercased()) else {
                throw ValidationError("--dialect must be z3c or openerp")
            }
            s.dialect = d
        }
        switch streaming.lowercased() {
        case "auto": s.streamStory = nil
        case "always": s.streamStory = true
        case "never": s.streamStory = false
        default: throw ValidationError("--streaming must be auto, always or never")
        }
        return s
    }

    func parsedMappings() throws -> [(prefix: String, directory: String)] {
        var maps: [(prefix: String, directory: String)] = []
        for m in mappings {
            guard let eq = m.lastIndex(of: "="), eq != m.startIndex else {
                throw ValidationError("--map expects PREFIX=DIR, got '\(m)'")
            }
            maps.append((String(m[..<eq]), String(m[m.index(after: eq)...])))
        }
        return maps
    }

    /// Loads the RML file named on the command line, with the render options these options
    /// describe (the same settings `render` uses, through `RenderPipeline.options`).
    func load(_ diagnostics: DiagnosticSink) throws -> (RMLDocument, RenderOptions) {
        guard let input else { throw ValidationError("missing the RML file to read") }
        let source = input == "-" ? RMLSource(data: FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>")
                                  : RMLSource(file: try readableFile(input))
        let settings = try settings()
        let dir = input == "-" ? "" : (input as NSString).deletingLastPathComponent
        let doc = try RenderPipeline.parse(source: source, stream: settings.streamStory, diagnostics: diagnostics)
        return (doc, RenderPipeline.options(settings, baseDirectory: dir.isEmpty ? nil : dir))
    }
}

/// Reads a file named on the command line, with a clear error when it cannot.
/// The path, if the file can be read (for error messages like `readFile`'s).
@discardableResult
func readableFile(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
          FileManager.default.isReadableFile(atPath: path) else {
        throw CLIError("cannot read '\(path)': no such file or not readable")
    }
    return path
}

func readFile(_ path: String) throws -> Data {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read '\(path)': no such file or not readable")
    }
    return bytes
}

/// The standard render settings (`SOURCE_DATE_EPOCH`), with Folio's fonts from `--fonts`, else
/// `FOLIO_FONTS` or the installation's `fonts/` folder.
func commandLineSettings(fonts: String?) throws -> RenderSettings {
    guard let fontsDir = fonts ?? RenderOptions.defaultFontsDirectory() else {
        throw CLIError("cannot find Folio's fonts folder; pass --fonts DIR or set FOLIO_FONTS")
    }
    var s = RenderSettings.standard() ?? RenderSettings(fontsDirectory: fontsDir)
    s.fontsDirectory = fontsDir
    return s
}

/// Runs a command's body; a `CLIError` is printed as `error: …` and exits with status 1 (instead of
/// ArgumentParser's generic "Error: error: …").
func exitingOnCLIError(_ body: () throws -> Void) throws {
    do { try body() } catch let e as CLIError {
        FileHandle.standardError.write((e.description + "\n").data(using: .utf8)!)
        throw ExitCode(1)
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = "error: " + message }
}

/// Prints diagnostics to stderr and turns failures into exit codes.
func runReporting(_ diagnostics: DiagnosticSink, _ body: () throws -> RenderReport) throws {
    do {
        printDiagnostics(try body().diagnostics)
    } catch {
        printDiagnostics(diagnostics.diagnostics)
        FileHandle.standardError.write(("\(error)" + "\n").data(using: .utf8)!)
        throw ExitCode(1)
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render an RML file, a package report, or data through an XSL:RML stylesheet, to PDF.",
        discussion: """
        folio render IN.rml -o OUT.pdf
        folio render --report NAME [--data FILE.xml|FILE.json | --db URL [--ids 1,2]] [--lang fr] -o OUT.pdf
        folio render --xsl STYLESHEET.xsl --data DATA.xml|DATA.json [--param k=v] -o OUT.pdf
        folio render --xsl S.xsl --db URL --template T.xml --model M --models MAP.yaml --ids 1,2 -o OUT.pdf
        folio render --xsl S.xsl --db URL --definition CUSTOM.yaml [--models MAP.yaml] -o OUT.pdf
        Without --data or --db, a package report prints its sample data.
        """)

    @OptionGroup var document: DocumentOptions

    @Option(name: .shortAndLong, help: "The file to write ('-' for standard output).")
    var output: String

    @Option(help: "Fixed PDF creation date, e.g. 2024-01-01T00:00:00Z (also SOURCE_DATE_EPOCH).")
    var creationDate: String?

    @Option(help: "An XSL stylesheet that turns the data into RML (OpenERP's XSL:RML reports).")
    var xsl: String?

    @Option(help: "The report data: XML, or JSON (mapped to XML as documented in JSONToXML).")
    var data: String?

    @Option(name: .customLong("param"), help: "A stylesheet parameter or form value, as key=value (repeatable).")
    var parameters: [String] = []

    @Option(help: "Folder the stylesheet may read imports and documents from (default: its own folder).")
    var sandbox: String?

    @Option(help: "A report declared by an installed package (e.g. stock.picking.list), or a coded report.")
    var report: String?

    @Option(help: "Record ids for --report, comma-separated, read from --db through the report's data template.")
    var ids: String?

    @Option(help: "PostgreSQL URL (postgresql://user:pass@host:port/db) to read the report's records from.")
    var db: String?

    @Option(help: "With --xsl and --db: an OpenERP data template evaluated for --model and --ids.")
    var template: String?

    @Option(help: "With --template: the model of the records (e.g. stock.picking).")
    var model: String?

    @Option(help: "With --template or --definition: how models map onto tables (YAML, see ModelMapping).")
    var models: String?

    @Option(help: "With --xsl and --db: a custom report definition (JSON or YAML) whose rows the stylesheet prints.")
    var definition: String?

    @Option(help: "Language of the report's static text (e.g. fr, pt_BR), from the package's translations.")
    var lang: String?

    @Option(help: "The folder of installed packages (default: FOLIO_TEMPLATES or ./templates).")
    var templates: String?

    @Option(help: "What to write: pdf, rml (the generated RML) or raw (the data XML).")
    var format: String = "pdf"

    func validate() throws {
        guard ["pdf", "rml", "raw"].contains(format) else { throw ValidationError("--format must be pdf, rml or raw") }
        if xsl != nil && data == nil && template == nil && definition == nil {
            throw ValidationError("--xsl needs --data, or --db with --template or --definition")
        }
        if template != nil || definition != nil {
            guard xsl != nil, db != nil else { throw ValidationError("--template and --definition go with --xsl and --db") }
            if template != nil && (model == nil || models == nil || ids == nil) {
                throw ValidationError("--template needs --model, --models and --ids")
            }
        }
        if xsl != nil && report != nil { throw ValidationError("give either --xsl or --report, not both") }
        if xsl == nil && report == nil && document.input == nil { throw ValidationError("give an RML file, --xsl with --data, or --report") }
        if format != "pdf" && xsl == nil && report == nil { throw ValidationError("--format \(format) needs --xsl or --report") }
        if ids != nil && db == nil { throw ValidationError("--ids needs --db") }
        if data != nil && db != nil { throw ValidationError("give either --data or --db, not both") }
        if lang != nil && report == nil { throw ValidationError("--lang goes with --report") }
        if db != nil && report == nil && template == nil && definition == nil {
            throw ValidationError("--db goes with --report, or with --xsl and --template or --definition")
        }
    }

    func parsedParameters() throws -> [String: String] {
        var params: [String: String] = [:]
        for p in parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw ValidationError("--param expects key=value, got '\(p)'") }
            params[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return params
    }

    func idList() throws -> [Int64] {
        try (ids ?? "").split(separator: ",").map { part -> Int64 in
            guard let v = Int64(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--ids: '\(part)' is not an id") }
            return v
        }
    }

    /// The RML of a package report or of data through a stylesheet.
    func generate() throws -> GeneratedReport {
        let params = try parsedParameters()
        let root = templates ?? ProcessInfo.processInfo.environment["FOLIO_TEMPLATES"] ?? "templates"
        let engine = ReportEngine(repository: PackageRepository(root: URL(fileURLWithPath: root)), databaseURL: db)
        if let xsl {
            if let data {
                _ = try readableFile(data)
                return try engine.transform(stylesheet: xsl, sandbox: sandbox, dataFile: data, parameters: params)
            }
            let xml: Data
            if let template, let model, let models {
                xml = try engine.evaluate(template: URL(fileURLWithPath: template), model: model, ids: try idList(),
                                          mapping: URL(fileURLWithPath: models), form: params)
            } else if let definition {
                xml = try engine.evaluate(customDefinition: URL(fileURLWithPath: definition), mapping: models.map { URL(fileURLWithPath: $0) })
            } else {
                throw ValidationError("--xsl needs --data, or --db with --template or --definition")
            }
            return try engine.transform(stylesheet: xsl, sandbox: sandbox, data: xml, dataName: "\(template ?? definition ?? "") data (from the database)", parameters: params)
        }
        guard let report else { throw ValidationError("--report needs a name") }
        let input: ReportRequest.DataInput
        if let data {
            input = .posted(try readFile(data), name: data)
        } else if db != nil {
            input = .records(ids: try idList())
        } else {
            input = .sample
        }
        return try engine.generate(ReportRequest(report: report, data: input, parameters: params, language: lang))
    }

    func run() throws {
        do {
            var settings = try document.settings()
            if let creationDate { settings.creationDate = creationDate }
            let progress = TerminalProgress.forStandardError()
            defer { progress?.finish() }
            if let progress { settings.progress = { progress.update(pages: $0, total: $1) } }
            let source: RMLSource, base: String?, resources: [String], origins: GeneratedRMLOrigins?
            var counting: Bool?
            if xsl != nil || report != nil {
                let generated = try generate()
                if format != "pdf" {
                    var bytes = format == "raw" ? generated.dataXML : try generated.rmlData()
                    if format == "raw", bytes == nil, let file = generated.dataXMLFile { bytes = try readFile(file) }
                    guard let bytes else {
                        throw CLIError("report '\(report ?? "")' builds its RML directly: it has no data XML to write")
                    }
                    try writeAll(bytes)
                    return
                }
                (source, base, resources, origins) = (generated.rmlSource, generated.baseDirectory?.path,
                                                      generated.resourcePaths.map(\.path), generated.origins)
                counting = generated.needsCountingPass
            } else {
                guard let input = document.input else { throw ValidationError("missing the RML file to read") }
                if input == "-" {
                    source = RMLSource(data: FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>")
                } else {
                        source = RMLSource(file: try readableFile(input))
                }
                let dir = input == "-" ? "" : (input as NSString).deletingLastPathComponent
                (base, resources, origins) = (dir.isEmpty ? nil : dir, [], nil)
            }
            let report: RenderReport
            if output == "-" {
                report = try RenderPipeline.renderPDF(source: source, needsCountingPass: counting, baseDirectory: base, resourcePaths: resources,
                                                      settings: settings, to: StandardOutputSink(), origins: origins)
            } else {
                let sink = try AtomicFileSink(path: output)
                do {
                    report = try RenderPipeline.renderPDF(source: source, needsCountingPass: counting, baseDirectory: base,
                                                          resourcePaths: resources, settings: settings, to: sink, origins: origins)
                    try sink.commit()
                } catch {
                    sink.discard()
                    throw error
                }
            }
            printDiagnostics(report.diagnostics)
        } catch let failure as RenderFailure {
            printDiagnostics(failure.diagnostics)
            FileHandle.standardError.write((failure.description + "\n").data(using: .utf8)!)
            throw ExitCode(1)
        } catch let error as ReportError {
            FileHandle.standardError.write((error.description + "\n").data(using: .utf8)!)
            throw ExitCode(1)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(("\(error)" + "\n").data(using: .utf8)!)
            throw ExitCode(1)
        }
    }

    private func writeAll(_ bytes: Data) throws {
        if output == "-" { FileHandle.standardOutput.write(bytes); return }
        let sink = try AtomicFileSink(path: output)
        _ = bytes.withUnsafeBytes { sink.write($0) }
        try sink.commit()
    }
}

func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { FileHandle.standardError.write((d.description + "\n").data(using: .utf8)!) }
}

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render one page of an RML file to PNG.")

    @OptionGroup var document: DocumentOptions

    @Option(help: "The page to render (1-based).")
    var page = 1

    @Option(help: "Resolution in dots per inch.")
    var dpi = 96.0

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var output: String

    func validate() throws {
        guard page >= 1 else { throw ValidationError("--page starts at 1") }
        guard dpi > 0 && dpi <= 1200 else { throw ValidationError("--dpi must be between 1 and 1200") }
    }

    func run() throws {
        let diagnostics = DiagnosticSink(strict: document.strict)
        try runReporting(diagnostics) {
            let (doc, options) = try document.load(diagnostics)
            return try RMLRenderer.renderPNG(doc, page: page, dpi: dpi, to: output, options: options, diagnostics: diagnostics)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Parse and lay out an RML file, report problems, write nothing.")

    @OptionGroup var document: DocumentOptions

    func run() throws {
        let diagnostics = DiagnosticSink(strict: document.strict)
        try runReporting(diagnostics) {
            let (doc, options) = try document.load(diagnostics)
            let report = try RMLRenderer.check(doc, options: options, diagnostics: diagnostics)
            FileHandle.standardError.write("\(document.input ?? "-"): \(report.pages) page\(report.pages == 1 ? "" : "s"), \(report.diagnostics.count) warning\(report.diagnostics.count == 1 ? "" : "s")\n".data(using: .utf8)!)
            return report
        }
    }
}
