import ArgumentParser
import FolioLayout
import FolioRML
import FolioRender
import FolioReports
import Foundation

@main
struct Folio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Render reports written in RML to PDF.",
        subcommands: [Render.self, Preview.self, Check.self, Packages.self])
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

    /// Loads the RML file named on the command line.
    func load(_ diagnostics: DiagnosticSink) throws -> (RMLDocument, RenderOptions) {
        guard let input else { throw ValidationError("missing the RML file to read") }
        let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try readFile(input)
        return try load(rml: data, named: input == "-" ? "<stdin>" : input, baseFile: input == "-" ? nil : input, diagnostics)
    }

    /// Parses RML held in memory (a file's or a stylesheet's output) and builds the render options.
    func load(rml data: Data, named name: String, baseFile: String?, _ diagnostics: DiagnosticSink) throws -> (RMLDocument, RenderOptions) {
        guard let fontsDir = fonts ?? RenderOptions.defaultFontsDirectory() else {
            throw CLIError("cannot find Folio's fonts folder; pass --fonts DIR or set FOLIO_FONTS")
        }
        var maps: [(prefix: String, directory: String)] = []
        for m in mappings {
            guard let eq = m.lastIndex(of: "="), eq != m.startIndex else {
                throw ValidationError("--map expects PREFIX=DIR, got '\(m)'")
            }
            maps.append((String(m[..<eq]), String(m[m.index(after: eq)...])))
        }
        var base = FileManager.default.currentDirectoryPath
        if let baseFile {
            let dir = (baseFile as NSString).deletingLastPathComponent
            if !dir.isEmpty { base = dir }
        }
        let doc = try RMLParser(fileName: name).parse(data, diagnostics: diagnostics)
        var options = RenderOptions(fontsDirectory: fontsDir,
                                    resolver: ResourceResolver(baseDirectory: base, searchPaths: resourcePaths, mappings: maps))
        options.strict = strict
        if let dialect {
            guard let d = RMLDialect(rawValue: dialect.lowercased()) else {
                throw ValidationError("--dialect must be z3c or openerp")
            }
            options.dialect = d
        }
        options.creationDate = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Double($0) }.map {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            return f.string(from: Date(timeIntervalSince1970: $0))
        }
        return (doc, options)
    }
}

/// Reads a file named on the command line, with a clear error when it cannot.
func readFile(_ path: String) throws -> Data {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read '\(path)': no such file or not readable")
    }
    return bytes
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = "error: " + message }
}

/// Prints diagnostics to stderr and turns failures into exit codes.
func runReporting(_ diagnostics: DiagnosticSink, _ body: () throws -> RenderReport) throws {
    do {
        let report = try body()
        for d in report.diagnostics { FileHandle.standardError.write((d.description + "\n").data(using: .utf8)!) }
    } catch {
        for d in diagnostics.diagnostics { FileHandle.standardError.write((d.description + "\n").data(using: .utf8)!) }
        FileHandle.standardError.write(("\(error)" + "\n").data(using: .utf8)!)
        throw ExitCode(1)
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render an RML file, or data through an XSL:RML stylesheet, to PDF.",
        discussion: """
        folio render IN.rml -o OUT.pdf
        folio render --xsl STYLESHEET.xsl --data DATA.xml|DATA.json [--param k=v] -o OUT.pdf
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

    @Option(name: .customLong("param"), help: "A stylesheet parameter, as key=value (repeatable).")
    var parameters: [String] = []

    @Option(help: "Folder the stylesheet may read imports and documents from (default: its own folder).")
    var sandbox: String?

    @Option(help: "A report declared by an installed package (e.g. stock.picking.list).")
    var report: String?

    @Option(help: "Record ids for --report, comma-separated, read from --db through the report's data template.")
    var ids: String?

    @Option(help: "PostgreSQL URL (postgresql://user:pass@host:port/db) for --report with --ids.")
    var db: String?

    @Option(help: "The folder of installed packages (default: FOLIO_TEMPLATES or ./templates).")
    var templates: String?

    @Option(help: "What to write: pdf, rml (the generated RML) or raw (the data XML).")
    var format: String = "pdf"

    func validate() throws {
        guard ["pdf", "rml", "raw"].contains(format) else { throw ValidationError("--format must be pdf, rml or raw") }
        if xsl != nil && data == nil { throw ValidationError("--xsl needs --data") }
        if xsl == nil && report == nil && document.input == nil { throw ValidationError("give an RML file, --xsl with --data, or --report") }
        if format != "pdf" && xsl == nil && report == nil { throw ValidationError("--format \(format) needs --xsl or --report") }
        if ids != nil && db == nil { throw ValidationError("--ids needs --db") }
    }

    func readData(_ path: String) throws -> Data {
        let bytes = try readFile(path)
        return path.lowercased().hasSuffix(".json") ? try JSONToXML.convert(bytes) : bytes
    }

    /// A package report: its stylesheet, the data (posted, from the database through the data
    /// template, or the package's sample) and the folders its images and fonts come from.
    func packageReport() throws -> (xsl: String, sandbox: String, data: Data, resources: [String]) {
        guard let report else { throw ValidationError("--report needs a name") }
        let root = templates ?? ProcessInfo.processInfo.environment["FOLIO_TEMPLATES"] ?? "templates"
        let resolved = try PackageRepository(root: URL(fileURLWithPath: root)).resolve(report: report)
        guard resolved.report.kind == .xsl, let stylesheet = resolved.stylesheetURL else {
            throw CLIError("report '\(report)' is a \(resolved.report.kind) report; the CLI renders xsl reports (custom and coded reports are available through the FolioReports API)")
        }
        let xml: Data
        if let data {
            xml = try readData(data)
        } else if let db, let ids {
            guard let template = resolved.templateURL, let models = resolved.modelsURL, let model = resolved.report.model else {
                throw CLIError("report '\(report)' declares no data template, model mapping or model for --db")
            }
            let idList = try ids.split(separator: ",").map { part -> Int64 in
                guard let v = Int64(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--ids: '\(part)' is not an id") }
                return v
            }
            let source = try PostgresRecordSource(connection: try PostgresConnection(url: db),
                                                  mapping: try ModelMapping.load(contentsOf: models.path))
            let request = DataRequest(model: model, ids: idList, form: [:], header: .user(id: 1))
            xml = try DataTemplateEvaluator(source: source).evaluate(try DataTemplate.load(contentsOf: template.path), request: request).xmlData()
        } else if let sample = resolved.sampleURL {
            xml = try readData(sample.path)
        } else {
            throw ValidationError("--report needs --data, or --db with --ids")
        }
        return (stylesheet.path, resolved.sandbox.path, xml, resolved.searchPath.map(\.path))
    }

    /// Runs the XSL stage: data (XML or JSON) through the stylesheet. Returns the data XML and the RML.
    func transform(xsl: String, sandbox: String?, xml: Data, dataName: String) throws -> (raw: Data, rml: Data) {
        var params: [String: String] = [:]
        for p in parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw ValidationError("--param expects key=value, got '\(p)'") }
            params[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        let doc = try XMLDocument.parse(xml, fileName: dataName)
        let folder = (xsl as NSString).deletingLastPathComponent
        let stylesheet = try StylesheetCache().stylesheet(at: xsl, sandbox: sandbox ?? (folder.isEmpty ? "." : folder))
        return (xml, try XSLTTransformer.transform(stylesheet, doc, parameters: params))
    }

    func run() throws {
        let diagnostics = DiagnosticSink(strict: document.strict)
        try runReporting(diagnostics) {
            var loaded: (RMLDocument, RenderOptions)
            var resources: [String] = []
            if xsl != nil || report != nil {
                var stylesheet = xsl ?? "", box = sandbox, xml = Data(), dataName = data ?? "<data>"
                if report != nil {
                    let r = try packageReport()
                    (stylesheet, box, xml, resources) = (r.xsl, r.sandbox, r.data, r.resources)
                    if data == nil { dataName = db != nil ? "<database>" : "<sample data>" }
                } else {
                    xml = try readData(data!)
                }
                let (raw, rml) = try transform(xsl: stylesheet, sandbox: box, xml: xml, dataName: dataName)
                if format != "pdf" {
                    try writeAll(format == "raw" ? raw : rml)
                    return RenderReport(pages: 0, diagnostics: diagnostics.diagnostics)
                }
                // Locations in generated RML name the stylesheet that produced it.
                loaded = try document.load(rml: rml, named: "\(stylesheet) (generated RML)", baseFile: stylesheet, diagnostics)
                loaded.1.resolver.searchPaths += resources
            } else {
                loaded = try document.load(diagnostics)
            }
            var (doc, options) = loaded
            if let creationDate { options.creationDate = creationDate }
            if output == "-" {
                return try RMLRenderer.renderPDF(doc, to: StandardOutputSink(), options: options, diagnostics: diagnostics)
            }
            let sink = try AtomicFileSink(path: output)
            do {
                let report = try RMLRenderer.renderPDF(doc, to: sink, options: options, diagnostics: diagnostics)
                try sink.commit()
                return report
            } catch {
                sink.discard()
                throw error
            }
        }
    }

    private func writeAll(_ bytes: Data) throws {
        if output == "-" { FileHandle.standardOutput.write(bytes); return }
        let sink = try AtomicFileSink(path: output)
        _ = bytes.withUnsafeBytes { sink.write($0) }
        try sink.commit()
    }
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
