import FolioRML
import Foundation

/// What to print: a report declared by an installed package (or a registered coded report), the
/// data it prints, the print wizard's values and the language.
public struct ReportRequest: Sendable {
    /// Where the report's data comes from.
    public enum DataInput: Sendable {
        /// Data sent with the request: XML as is, or JSON mapped to XML (`JSONToXML`). For a coded
        /// report, the payload as given.
        case posted(Data, name: String)
        /// Records of the report's model, read from the engine's database through the report's
        /// data template (XSL reports), its query (custom reports) or handed to the code (coded).
        case records(ids: [Int64])
        /// The sample data file the package declares for the report.
        case sample
    }

    /// The report name, e.g. `stock.picking.list`.
    public var report: String
    public var data: DataInput
    /// Stylesheet parameters and the print wizard's form values (`datas['form']`).
    public var parameters: [String: String]
    /// The language to print static text in (`fr`, `pt_BR`): text marked `t="1"` is translated
    /// with the package's catalogue for it, when there is one.
    public var language: String?

    public init(report: String, data: DataInput, parameters: [String: String] = [:], language: String? = nil) {
        self.report = report; self.data = data; self.parameters = parameters; self.language = language
    }
}

/// The RML of a report, ready for layout, with where it came from.
public struct GeneratedReport: Sendable {
    /// The RML document (UTF-8): in memory, or spooled to a file while a chunked transform
    /// produces it (`ChunkedTransform`), so that it is read as it is written and never held whole.
    public var rmlSource: RMLSource
    /// The whole RML in memory (waits for a spool to be complete; a failure of the transform
    /// producing it is thrown here).
    public func rmlData() throws(ReportError) -> Data {
        do { return try rmlSource.data() } catch { throw ReportError(.data, error.message, at: error.location) }
    }
    /// Whether the RML prints the page count, when known without reading it all (from the
    /// stylesheet); nil: found in the RML.
    public var needsCountingPass: Bool?
    /// The data XML the stylesheet transformed (OpenERP's `raw` report type); nil for reports
    /// that build RML directly (charts, coded reports returning RML), or when it is in a file.
    public var dataXML: Data?
    /// The file holding the data XML, when it was read from there as the transform went.
    public var dataXMLFile: String?
    /// A name for locations in the RML: the producing stylesheet followed by "(generated RML)".
    public var rmlName: String
    /// The folder relative references in the RML resolve against (the stylesheet's folder).
    public var baseDirectory: URL?
    /// Folders searched for images and fonts: the report's package, then its dependencies.
    public var resourcePaths: [URL]
    /// Maps elements of the generated RML back to the stylesheet lines that wrote them.
    public var origins: GeneratedRMLOrigins?
    /// The report's title (from its manifest or definition), for file names and metadata.
    public var title: String?

    public init(rml: Data, dataXML: Data? = nil, rmlName: String, baseDirectory: URL? = nil,
                resourcePaths: [URL] = [], origins: GeneratedRMLOrigins? = nil, title: String? = nil) {
        self.init(rmlSource: RMLSource(data: rml, name: rmlName), dataXML: dataXML, rmlName: rmlName, baseDirectory: baseDirectory,
                  resourcePaths: resourcePaths, origins: origins, title: title)
    }

    public init(rmlSource: RMLSource, needsCountingPass: Bool? = nil, dataXML: Data? = nil, rmlName: String, baseDirectory: URL? = nil,
                resourcePaths: [URL] = [], origins: GeneratedRMLOrigins? = nil, title: String? = nil) {
        self.rmlSource = rmlSource; self.needsCountingPass = needsCountingPass
        self.dataXML = dataXML; self.rmlName = rmlName; self.baseDirectory = baseDirectory
        self.resourcePaths = resourcePaths; self.origins = origins; self.title = title
    }
}

/// The first stage of every render: definition + data → RML.
///
/// One engine serves any number of renders at once: compiled stylesheets are shared through its
/// `StylesheetCache`, packages are read from its repository on each request (so installs and
/// removals are seen at once), and each database request opens its own connection.
///
/// | kind | data | RML |
/// |---|---|---|
/// | `xsl` | posted XML/JSON; records through the data template; the sample | the package's stylesheet |
/// | `custom` table | posted intermediate XML; records through the definition's query; the sample | `base`'s `xsl/custom_table.xsl` |
/// | `custom` chart | the same | `ChartRenderer`, vector graphics |
/// | `coded` | the payload; ids | the Swift code registered under the name |
public final class ReportEngine: Sendable {
    public let repository: PackageRepository
    /// PostgreSQL URL for `.records` requests (`postgresql://user:pass@host:port/db`).
    public let databaseURL: String?
    public let codedReports: CodedReportRegistry
    public let stylesheets: StylesheetCache
    public let limits: TransformLimits
    /// The user whose company prints in the corporate header of data templates.
    public let userID: Int64

    public init(repository: PackageRepository, databaseURL: String? = nil,
                codedReports: CodedReportRegistry = .shared, stylesheets: StylesheetCache = StylesheetCache(),
                limits: TransformLimits = .init(), userID: Int64 = 1) {
        self.repository = repository; self.databaseURL = databaseURL; self.codedReports = codedReports
        self.stylesheets = stylesheets; self.limits = limits; self.userID = userID
    }

    /// Produces the RML of a report.
    ///
    /// - Throws: `ReportError`: `.notFound` for an unknown report; `.package` for resolution
    ///   problems; `.data`/`.definition`/`.stylesheet`/`.database`/`.security`/`.limit` from the
    ///   stages, with their source locations.
    public func generate(_ request: ReportRequest) throws(ReportError) -> GeneratedReport {
        let resolved: ResolvedReport
        do {
            resolved = try repository.resolve(report: request.report)
        } catch let e where e.kind == .notFound {
            // A coded report registered in the process without a package declaring it.
            if codedReports.report(named: request.report) != nil {
                return try generateCoded(request, resolved: nil)
            }
            throw e
        }
        switch resolved.report.kind {
        case .xsl: return try generateXSL(request, resolved)
        case .custom: return try generateCustom(request, resolved)
        case .coded: return try generateCoded(request, resolved: resolved)
        }
    }

    /// Transforms data with a stylesheet outside any package (ad-hoc renders): imports and
    /// `document()` are confined to `sandbox` (default: the stylesheet's folder).
    public func transform(stylesheet path: String, sandbox: String? = nil, data: Data, dataName: String,
                          parameters: [String: String] = [:]) throws(ReportError) -> GeneratedReport {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let sheet = try stylesheets.stylesheet(at: path, sandbox: sandbox ?? folder.path)
        return try transform(sheet, xml: try Self.dataXML(data, name: dataName), dataName: dataName,
                             parameters: parameters, resources: [], title: nil)
    }

    /// `transform(stylesheet:sandbox:data:...)` for data in a file. A stylesheet following the
    /// record-chunk convention reads XML data from the file as it goes, so the data is never
    /// held whole either.
    public func transform(stylesheet path: String, sandbox: String? = nil, dataFile: String,
                          parameters: [String: String] = [:]) throws(ReportError) -> GeneratedReport {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let sheet = try stylesheets.stylesheet(at: path, sandbox: sandbox ?? folder.path)
        if let records = ChunkedTransform.recordName(of: sheet), !dataFile.lowercased().hasSuffix(".json"),
           let head = FileHandle(forReadingAtPath: dataFile).flatMap({ try? $0.read(upToCount: 256) }),
           let first = head.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }),
           first == UInt8(ascii: "<") {
            let chunked = try ChunkedTransform(sheet, dataFile: dataFile, records: records, parameters: parameters, limits: limits)
            var report = try spooled(chunked, sheet, resources: [], title: nil)
            report.dataXMLFile = dataFile
            return report
        }
        return try transform(stylesheet: path, sandbox: sandbox, data: try Self.read(URL(fileURLWithPath: dataFile)),
                             dataName: dataFile, parameters: parameters)
    }

    /// Evaluates an OpenERP data template outside any package for records of `model` read from
    /// the engine's database, with the model mapping in `mapping`: the data XML for a stylesheet.
    public func evaluate(template: URL, model: String, ids: [Int64], mapping: URL,
                         form: [String: String] = [:]) throws(ReportError) -> Data {
        guard !ids.isEmpty else { throw ReportError(.data, "no record ids given") }
        let source = try PostgresRecordSource(connection: try connection(), mapping: try ModelMapping.load(contentsOf: mapping.path))
        let request = DataRequest(model: model, ids: ids, form: form, header: .user(id: userID))
        return try DataTemplateEvaluator(source: source).evaluate(try DataTemplate.load(contentsOf: template.path), request: request).xmlData()
    }

    /// Runs a custom report definition (JSON or YAML) outside any package against the engine's
    /// database: OpenERP's intermediate XML, for `custom_new.xsl`-style stylesheets.
    public func evaluate(customDefinition url: URL, mapping: URL?) throws(ReportError) -> Data {
        let definition = try ReportPackage.decodeDefinition(at: url)
        let map = try mapping.map { u throws(ReportError) in try ModelMapping.load(contentsOf: u.path) }
        return try CustomReportQuery(definition, mapping: map).run(on: try connection()).xmlData()
    }

    // MARK: kinds

    private func generateXSL(_ request: ReportRequest, _ resolved: ResolvedReport) throws(ReportError) -> GeneratedReport {
        guard let stylesheetURL = resolved.stylesheetURL else {
            throw ReportError(.definition, "report '\(resolved.report.name)' declares no stylesheet")
        }
        let (xml, dataName) = try data(for: request, resolved) { () throws(ReportError) -> Data in
            guard let template = resolved.templateURL, let model = resolved.report.model else {
                throw ReportError(.definition, "report '\(resolved.report.name)' declares no data template or model, so it cannot read records")
            }
            let source = try recordSource(resolved)
            let ids = try recordIDs(request)
            let dataRequest = DataRequest(model: model, ids: ids, form: request.parameters, header: .user(id: userID))
            let evaluated = try DataTemplateEvaluator(source: source).evaluate(try DataTemplate.load(contentsOf: template.path), request: dataRequest)
            return evaluated.xmlData()
        }
        let sheet = try stylesheet(stylesheetURL, resolved, language: request.language)
        return try transform(sheet, xml: xml, dataName: dataName, parameters: request.parameters,
                             resources: resolved.searchPath, title: resolved.report.title)
    }

    private func generateCustom(_ request: ReportRequest, _ resolved: ResolvedReport) throws(ReportError) -> GeneratedReport {
        let definition = try resolved.definition()
        let title = resolved.report.title ?? definition.title
        if definition.type == .table {
            guard let stylesheetURL = resolved.stylesheetURL else {
                throw ReportError(.package, "custom report '\(definition.name)' needs the base package's \(PackageRepository.customTableStylesheet)")
            }
            let (xml, dataName) = try data(for: request, resolved) { () throws(ReportError) -> Data in
                try customQuery(definition, resolved, request).xmlData()
            }
            let sheet = try stylesheet(stylesheetURL, resolved, language: request.language)
            return try transform(sheet, xml: xml, dataName: dataName, parameters: request.parameters,
                                 resources: resolved.searchPath, title: title)
        }
        // Charts: labels and series from the query, or from intermediate XML (posted or sample).
        let table: CustomReportTable
        let raw: Data?
        switch request.data {
        case .records:
            let result = try customQuery(definition, resolved, request)
            table = CustomReportTable(result)
            raw = result.xmlData()
        case .posted, .sample:
            let (xml, name) = try data(for: request, resolved) { () throws(ReportError) -> Data in Data() }
            table = try CustomReportTable.parse(xml, fileName: name)
            raw = xml
        }
        let rml = try ChartRenderer.document(for: definition, labels: table.labels, series: table.series,
                                             title: request.parameters["title"], footer: request.parameters["footer"],
                                             date: table.date)
        return GeneratedReport(rml: Data(rml.utf8), dataXML: raw, rmlName: "custom report \(definition.name) (generated RML)",
                               baseDirectory: resolved.package.folder, resourcePaths: resolved.searchPath, title: title)
    }

    private func generateCoded(_ request: ReportRequest, resolved: ResolvedReport?) throws(ReportError) -> GeneratedReport {
        var coded = CodedReportRequest(reportName: request.report, model: resolved?.report.model,
                                       parameters: request.parameters, language: request.language)
        switch request.data {
        case .posted(let payload, _): coded.payload = payload
        case .records(let ids): coded.ids = ids.map { Int($0) }
        case .sample:
            guard let sample = resolved?.sampleURL else {
                throw ReportError(.data, "report '\(request.report)' has no sample data; send a payload or ids")
            }
            coded.payload = try Self.read(sample)
        }
        let output = try codedReports.render(coded)
        let resources = resolved?.searchPath ?? []
        switch output {
        case .rml(let rml):
            return GeneratedReport(rml: rml, rmlName: "coded report \(request.report) (generated RML)",
                                   baseDirectory: resolved?.package.folder, resourcePaths: resources,
                                   title: resolved?.report.title)
        case .data(let xml, let stylesheetPath):
            var url: URL?
            if stylesheetPath.hasPrefix("/") { url = URL(fileURLWithPath: stylesheetPath) } else { url = resolved?.file(stylesheetPath) }
            guard let url, FileManager.default.fileExists(atPath: url.path) else {
                throw ReportError(.notFound, "coded report '\(request.report)': no stylesheet '\(stylesheetPath)' along its package's search path")
            }
            let sheet: Stylesheet
            if let resolved {
                sheet = try stylesheet(url, resolved, language: request.language)
            } else {
                sheet = try stylesheets.stylesheet(at: url.path, sandbox: url.deletingLastPathComponent().path)
            }
            return try transform(sheet, xml: xml, dataName: "coded report \(request.report) data", parameters: request.parameters,
                                 resources: resources, title: resolved?.report.title)
        }
    }

    // MARK: stages

    /// The data XML of a request: posted (JSON mapped), sample file, or read from the database.
    private func data(for request: ReportRequest, _ resolved: ResolvedReport,
                      records: () throws(ReportError) -> Data) throws(ReportError) -> (Data, String) {
        switch request.data {
        case .posted(let bytes, let name):
            return (try Self.dataXML(bytes, name: name), name)
        case .sample:
            guard let sample = resolved.sampleURL else {
                throw ReportError(.data, "report '\(resolved.report.name)' has no sample data; send data or ids")
            }
            return (try Self.dataXML(try Self.read(sample), name: sample.path), sample.path)
        case .records:
            return (try records(), "\(resolved.report.name) data (from the database)")
        }
    }

    private func recordIDs(_ request: ReportRequest) throws(ReportError) -> [Int64] {
        guard case .records(let ids) = request.data else { return [] }
        guard !ids.isEmpty else { throw ReportError(.data, "no record ids given") }
        return ids
    }

    private func connection() throws(ReportError) -> PostgresConnection {
        guard let databaseURL else {
            throw ReportError(.database, "no database is configured to read records from")
        }
        return try PostgresConnection(url: databaseURL)
    }

    private func mapping(_ resolved: ResolvedReport) throws(ReportError) -> ModelMapping {
        guard let models = resolved.modelsURL else {
            throw ReportError(.definition, "report '\(resolved.report.name)' declares no model mapping (files: models)")
        }
        return try ModelMapping.load(contentsOf: models.path)
    }

    private func recordSource(_ resolved: ResolvedReport) throws(ReportError) -> PostgresRecordSource {
        try PostgresRecordSource(connection: try connection(), mapping: try mapping(resolved))
    }

    /// Runs a custom report's query. Custom reports cover their model (or view) as their filters
    /// say, as in OpenERP: record ids do not restrict them.
    private func customQuery(_ definition: CustomReportDefinition, _ resolved: ResolvedReport,
                             _ request: ReportRequest) throws(ReportError) -> CustomReportResult {
        let mapping = resolved.modelsURL != nil ? try mapping(resolved) : nil
        return try CustomReportQuery(definition, mapping: mapping).run(on: try connection())
    }

    private func stylesheet(_ url: URL, _ resolved: ResolvedReport, language: String?) throws(ReportError) -> Stylesheet {
        var catalog: TranslationCatalog?
        if let language {
            var entries: [String: String] = [:]
            // Nearest package first: its entries win.
            for file in resolved.translations(for: language).reversed() {
                let c = file.pathExtension.lowercased() == "json"
                    ? try TranslationCatalog.load(jsonFile: file.path) : try TranslationCatalog.load(poFile: file.path)
                entries.merge(c.entries) { _, new in new }
            }
            if !entries.isEmpty { catalog = TranslationCatalog(entries: entries) }
        }
        return try stylesheets.stylesheet(at: url.path, sandbox: resolved.sandbox.path,
                                          language: catalog != nil ? language : nil, translations: catalog)
    }

    private func transform(_ sheet: Stylesheet, xml: Data, dataName: String, parameters: [String: String],
                           resources: [URL], title: String?) throws(ReportError) -> GeneratedReport {
        // A stylesheet following the record-chunk convention (`ChunkedTransform`) never holds
        // the whole data tree and result tree at once.
        if let records = ChunkedTransform.recordName(of: sheet) {
            let chunked = try ChunkedTransform(sheet, data: xml, fileName: dataName, records: records, parameters: parameters,
                                               limits: limits)
            var report = try spooled(chunked, sheet, resources: resources, title: title)
            report.dataXML = xml
            return report
        }
        let doc = try XMLDocument.parse(xml, fileName: dataName)
        let result = try XSLTTransformer.run(sheet, doc, parameters: parameters, limits: limits)
        return GeneratedReport(rml: result.output, dataXML: xml, rmlName: "\(sheet.path) (generated RML)",
                               baseDirectory: URL(fileURLWithPath: sheet.path).deletingLastPathComponent(),
                               resourcePaths: resources, origins: result.origins.map { GeneratedRMLOrigins(lines: $0, stylesheetFiles: sheet.files) },
                               title: title)
    }

    /// Runs a chunked transform into a spool: the head now (so that stylesheet errors surface
    /// here), the records on a thread of their own while the RML is laid out as it arrives.
    private func spooled(_ chunked: ChunkedTransform, _ sheet: Stylesheet, resources: [URL], title: String?) throws(ReportError) -> GeneratedReport {
        let spool: RMLSpool
        do { spool = try RMLSpool() } catch { throw ReportError(.limit, error.message) }
        guard let head = try chunked.next() else { throw ReportError(.stylesheet, "the stylesheet produced nothing") }
        do { try spool.write(head) } catch { throw ReportError(.limit, error.message) }
        SpoolWriterThread.start(chunked, into: spool)
        // The page count can only be printed if the stylesheet writes the elements that print it
        // (comments aside); this is known before the RML is, so the first pages need not wait.
        let counting = sheet.files.contains { file in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return true }
            var code = ""
            var rest = Substring(text)
            while let open = rest.range(of: "<!--") {
                code += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].range(of: "-->") else { rest = ""; break }
                rest = rest[close.upperBound...]
            }
            code += rest
            return code.contains("pageCount") || code.contains("getName")
        }
        let name = "\(sheet.path) (generated RML)"
        return GeneratedReport(rmlSource: RMLSource(spool: spool, name: name), needsCountingPass: counting, rmlName: name,
                               baseDirectory: URL(fileURLWithPath: sheet.path).deletingLastPathComponent(),
                               resourcePaths: resources, title: title)
    }

    static func read(_ url: URL) throws(ReportError) -> Data {
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw ReportError(.notFound, "cannot read '\(url.path)'")
        }
        return bytes
    }

    /// Posted data as XML: JSON (by content: the first non-blank byte is `{` or `[`) is mapped.
    static func dataXML(_ bytes: Data, name: String) throws(ReportError) -> Data {
        let first = bytes.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        if name.lowercased().hasSuffix(".json") || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return try JSONToXML.convert(bytes)
        }
        return bytes
    }
}
