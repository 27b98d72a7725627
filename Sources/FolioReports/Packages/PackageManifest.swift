import FolioRML
import Foundation
import Yams

/// The manifest of a report package: the file `folio-package.yaml` at the root of the package's
/// folder (the spirit of an OpenERP module's `__terp__.py`).
///
/// ```yaml
/// name: openerp_stock               # required: [a-z][a-z0-9_]* ; also the installed folder's name
/// summary: Packing list and labels  # required: one line
/// version: 1.0.0                    # required: major.minor.patch
/// author: Folio                     # optional
/// license: Apache-2.0               # optional
/// depends:                          # optional: package name -> version range
///   base: ">=1.0.0 <2.0.0"          #   forms: >=1.0.0 <2.0.0, ^1.2, ~1.2.3, 1.2.x, *, a || b
/// reports:                          # optional: the reports the package declares
///   - name: stock.picking.list      # required: unique among all installed packages
///     title: Packing list           # optional: display name
///     model: stock.picking          # optional: the model the report prints
///     kind: xsl                     # required: xsl | custom | coded
///     files:                        # paths relative to the package folder
///       stylesheet: report/picking.xsl   # xsl: required (XSL:RML); custom: optional (table stylesheet);
///                                        #   coded: optional (for reports returning data XML)
///       template: report/picking.xml     # optional: OpenERP data template XML
///       definition: custom/sales.yaml    # custom: required (CustomReportDefinition, JSON or YAML)
///       sample: samples/picking.xml      # optional: sample data XML (JSON for coded reports)
///       models: models.yaml              # optional: model-mapping file for the data stage
/// fonts:                            # optional: TrueType fonts, registered under their RML name
///   - name: DejaVuSans
///     file: fonts/DejaVuSans.ttf
/// images:                           # optional: images; `name` defaults to the file name
///   - name: logo
///     file: images/logo.png
/// translations:                     # optional: language -> catalogue (gettext PO)
///   fr: i18n/fr.po
/// ```
///
/// Rules (checked by `PackageManifest.parse` and `ReportPackage.problems()`): unknown keys are
/// errors (they are usually typos); every file path is relative, uses `/`, has no `.` or `..`
/// component and names a regular file inside the package; report names are unique within the
/// package; a package does not depend on itself.
public struct PackageManifest: Codable, Sendable, Equatable {
    /// The manifest's file name inside a package folder.
    public static let fileName = "folio-package.yaml"

    public enum ReportKind: String, Codable, Sendable, CaseIterable {
        /// Data template + XSL:RML stylesheet.
        case xsl
        /// A `CustomReportDefinition` (tables through a stylesheet, charts drawn by Folio).
        case custom
        /// A Swift `CodedReport` registered under the report's name.
        case coded
    }

    /// The files a report uses, relative to the package folder.
    public struct ReportFiles: Codable, Sendable, Equatable {
        public var stylesheet: String?
        public var template: String?
        public var definition: String?
        public var sample: String?
        public var models: String?
        public init(stylesheet: String? = nil, template: String? = nil, definition: String? = nil,
                    sample: String? = nil, models: String? = nil) {
            self.stylesheet = stylesheet; self.template = template; self.definition = definition
            self.sample = sample; self.models = models
        }
        /// (key, path) for each file given, in schema order.
        public var all: [(key: String, path: String)] {
            [("stylesheet", stylesheet), ("template", template), ("definition", definition),
             ("sample", sample), ("models", models)].compactMap { k, v in v.map { (k, $0) } }
        }
    }

    /// A report the package declares.
    public struct Report: Codable, Sendable, Equatable {
        public var name: String
        public var title: String?
        public var model: String?
        public var kind: ReportKind
        public var files: ReportFiles
        public init(name: String, title: String? = nil, model: String? = nil, kind: ReportKind, files: ReportFiles = ReportFiles()) {
            self.name = name; self.title = title; self.model = model; self.kind = kind; self.files = files
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            model = try c.decodeIfPresent(String.self, forKey: .model)
            kind = try c.decode(ReportKind.self, forKey: .kind)
            files = try c.decodeIfPresent(ReportFiles.self, forKey: .files) ?? ReportFiles()
        }
    }

    /// A TrueType font shipped by the package, with the name RML documents use for it.
    public struct Font: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public init(name: String, file: String) { self.name = name; self.file = file }
    }

    /// An image shipped by the package.
    public struct Image: Codable, Sendable, Equatable {
        public var name: String?
        public var file: String
        public init(name: String? = nil, file: String) { self.name = name; self.file = file }
        /// `name`, or the file name without its extension.
        public var key: String {
            name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        }
    }

    public var name: String
    public var summary: String
    public var version: SemanticVersion
    public var author: String?
    public var license: String?
    public var depends: [String: VersionRange]
    public var reports: [Report]
    public var fonts: [Font]
    public var images: [Image]
    public var translations: [String: String]

    public init(name: String, summary: String, version: SemanticVersion, depends: [String: VersionRange] = [:],
                reports: [Report] = [], fonts: [Font] = [], images: [Image] = [], translations: [String: String] = [:]) {
        self.name = name; self.summary = summary; self.version = version; self.depends = depends
        self.reports = reports; self.fonts = fonts; self.images = images; self.translations = translations
    }

    enum CodingKeys: String, CodingKey {
        case name, summary, version, author, license, depends, reports, fonts, images, translations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        summary = try c.decode(String.self, forKey: .summary)
        version = try c.decode(SemanticVersion.self, forKey: .version)
        author = try c.decodeIfPresent(String.self, forKey: .author)
        license = try c.decodeIfPresent(String.self, forKey: .license)
        depends = try c.decodeIfPresent([String: VersionRange].self, forKey: .depends) ?? [:]
        reports = try c.decodeIfPresent([Report].self, forKey: .reports) ?? []
        fonts = try c.decodeIfPresent([Font].self, forKey: .fonts) ?? []
        images = try c.decodeIfPresent([Image].self, forKey: .images) ?? []
        translations = try c.decodeIfPresent([String: String].self, forKey: .translations) ?? [:]
    }

    /// The declaration of a report by name.
    public func report(named name: String) -> Report? { reports.first { $0.name == name } }

    // MARK: parsing

    /// Reads and decodes a manifest file; errors carry the file, line and column.
    public static func load(from url: URL, label: String? = nil) throws(ReportError) -> PackageManifest {
        try parse(yaml: readText(url, label: label ?? url.path), file: label ?? url.path).manifest
    }

    /// Decodes a manifest and checks its structure (everything that needs no file system).
    /// Throws on YAML syntax errors and on missing or mistyped keys; returns the structural
    /// problems (unknown keys, bad names, bad paths) alongside the manifest.
    public static func parse(yaml: String, file: String) throws(ReportError) -> (manifest: PackageManifest, problems: [PackageProblem]) {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: yaml) else {
                throw ReportError(.package, "the manifest is empty", at: SourceLocation(file: file, line: 1, column: 1))
            }
            node = n
        } catch let e as ReportError {
            throw e
        } catch {
            throw yamlError(error, file: file)
        }
        guard node.mapping != nil else {
            throw ReportError(.package, "the manifest must be a mapping of keys (name, summary, version, …)",
                              at: location(node.mark, file: file))
        }
        let manifest: PackageManifest
        do {
            manifest = try YAMLDecoder().decode(PackageManifest.self, from: yaml)
        } catch let e as DecodingError {
            throw decodingError(e, root: node, file: file)
        } catch {
            throw ReportError(.package, "\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        return (manifest, manifest.structuralProblems(node: node, file: file))
    }

    /// The pattern package names follow.
    public static func isValidPackageName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first), s.count <= 64 else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The pattern report names follow: letters, digits, `_`, `-`, `.`.
    public static func isValidReportName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 128 && !s.hasPrefix(".") && !s.hasSuffix(".") && s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)
        }
    }

    /// Why a relative path is not acceptable inside a package, or nil when it is.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.hasPrefix("/") || path.hasPrefix("~") { return "'\(path)' is absolute; paths are relative to the package folder" }
        if path.contains("\\") { return "'\(path)' contains '\\'; use '/'" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 }) { return "'\(path)' contains control characters" }
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == ".." { return "'\(path)' leaves the package folder ('..')" }
            if part == "." || part.isEmpty { return "'\(path)' has an empty or '.' component" }
        }
        return nil
    }

    private static let topKeys: Set<String> = Set(CodingKeys.allKeys)
    private static let reportKeys: Set<String> = ["name", "title", "model", "kind", "files"]
    private static let fileKeys: Set<String> = ["stylesheet", "template", "definition", "sample", "models"]
    private static let fontKeys: Set<String> = ["name", "file"]
    private static let imageKeys: Set<String> = ["name", "file"]

    func structuralProblems(node: Node, file: String) -> [PackageProblem] {
        var out: [PackageProblem] = []
        func add(_ message: String, _ n: Node?) {
            out.append(PackageProblem(package: name, file: file, mark: n?.mark, message: message))
        }
        func unknownKeys(_ n: Node?, _ known: Set<String>, _ what: String) {
            guard let map = n?.mapping else { return }
            for (k, _) in map {
                guard let key = k.string, !known.contains(key) else { continue }
                add("unknown key '\(key)' in \(what) (known: \(known.sorted().joined(separator: ", ")))", k)
            }
        }
        unknownKeys(node, Self.topKeys, "the manifest")
        if !Self.isValidPackageName(name) {
            add("package name '\(name)' is not valid: use lower-case letters, digits and '_', starting with a letter", node["name"])
        }
        if summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add("summary is empty", node["summary"]) }
        for (dep, _) in depends.sorted(by: { $0.key < $1.key }) {
            if dep == name { add("package '\(name)' depends on itself", node["depends"]?[dep]) }
            if !Self.isValidPackageName(dep) { add("dependency name '\(dep)' is not a valid package name", node["depends"]?[dep]) }
        }
        var seen: [String: Int] = [:]
        for (i, r) in reports.enumerated() {
            let rn = node["reports"]?[i]
            unknownKeys(rn, Self.reportKeys, "report '\(r.name)'")
            unknownKeys(rn?["files"], Self.fileKeys, "the files of report '\(r.name)'")
            if !Self.isValidReportName(r.name) {
                add("report name '\(r.name)' is not valid: use letters, digits, '_', '-' and '.'", rn?["name"])
            }
            if let j = seen[r.name] {
                add("report '\(r.name)' is declared twice (entries \(j + 1) and \(i + 1))", rn?["name"])
            }
            seen[r.name] = i
            switch r.kind {
            case .xsl:
                if r.files.stylesheet == nil { add("report '\(r.name)' (kind xsl) needs files.stylesheet", rn) }
                if r.files.definition != nil { add("report '\(r.name)' (kind xsl) cannot have files.definition", rn?["files"]?["definition"]) }
            case .custom:
                if r.files.definition == nil { add("report '\(r.name)' (kind custom) needs files.definition", rn) }
            case .coded:
                if r.files.definition != nil { add("report '\(r.name)' (kind coded) cannot have files.definition", rn?["files"]?["definition"]) }
                if r.files.template != nil { add("report '\(r.name)' (kind coded) cannot have files.template", rn?["files"]?["template"]) }
            }
            for (key, path) in r.files.all {
                if let p = Self.pathProblem(path) { add("report '\(r.name)', \(key): \(p)", rn?["files"]?[key]) }
            }
        }
        var fontNames = Set<String>()
        for (i, f) in fonts.enumerated() {
            let fn = node["fonts"]?[i]
            unknownKeys(fn, Self.fontKeys, "font '\(f.name)'")
            if f.name.isEmpty || f.name.contains(where: \.isWhitespace) { add("font name '\(f.name)' is not valid (no spaces)", fn?["name"]) }
            if !fontNames.insert(f.name).inserted { add("font '\(f.name)' is declared twice", fn?["name"]) }
            if let p = Self.pathProblem(f.file) { add("font '\(f.name)': \(p)", fn?["file"]) }
        }
        var imageNames = Set<String>()
        for (i, img) in images.enumerated() {
            let im = node["images"]?[i]
            unknownKeys(im, Self.imageKeys, "image '\(img.key)'")
            if !imageNames.insert(img.key).inserted { add("image '\(img.key)' is declared twice", im) }
            if let p = Self.pathProblem(img.file) { add("image '\(img.key)': \(p)", im?["file"]) }
        }
        for (lang, path) in translations.sorted(by: { $0.key < $1.key }) {
            let tn = node["translations"]?[lang]
            if !Self.isValidLanguage(lang) { add("translation language '\(lang)' is not a language code like fr or pt_BR", tn) }
            if let p = Self.pathProblem(path) { add("translation '\(lang)': \(p)", tn) }
        }
        return out
    }

    static func isValidLanguage(_ s: String) -> Bool {
        let parts = s.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (2...3).contains(parts[0].count),
              parts[0].allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        if parts.count == 2 {
            return (2...4).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        return true
    }

    // MARK: error locations

    static func readText(_ url: URL, label: String) throws(ReportError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReportError(.package, "cannot read '\(label)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError(.package, "'\(label)' is not UTF-8 text", at: SourceLocation(file: label, line: 1, column: 1))
        }
        return text
    }

    static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    static func yamlError(_ error: any Error, file: String) -> ReportError {
        if let y = error as? YamlError {
            switch y {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return ReportError(.package, "YAML syntax error: \(problem)", at: location(mark, file: file))
            default:
                break
            }
        }
        return ReportError(.package, "YAML error: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// Turns a decoding error into a message with the key path and the YAML node's position.
    static func decodingError(_ error: DecodingError, root: Node, file: String) -> ReportError {
        func node(at path: [any CodingKey]) -> Node? {
            var n: Node? = root
            for key in path {
                guard let cur = n else { return nil }
                if let i = key.intValue, cur.sequence != nil { n = cur[i] } else { n = cur[key.stringValue] }
            }
            return n
        }
        func pathText(_ path: [any CodingKey]) -> String {
            var s = ""
            for k in path {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : "." + k.stringValue }
            }
            return s
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let at = node(at: ctx.codingPath)
            let wherePart = ctx.codingPath.isEmpty ? "" : " in \(pathText(ctx.codingPath))"
            return ReportError(.package, "missing required key '\(key.stringValue)'\(wherePart)", at: location(at?.mark, file: file))
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            let at = node(at: ctx.codingPath)
            return ReportError(.package, "\(pathText(ctx.codingPath)): expected \(describe(type))", at: location(at?.mark, file: file))
        case .dataCorrupted(let ctx):
            let at = node(at: ctx.codingPath)
            return ReportError(.package, "\(pathText(ctx.codingPath)): \(ctx.debugDescription)", at: location(at?.mark, file: file))
        @unknown default:
            return ReportError(.package, "\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let s = String(describing: type)
        if s.hasPrefix("Dictionary") { return "a mapping" }
        if s.hasPrefix("Array") { return "a list" }
        if s == "String" { return "a string" }
        if s.contains("ReportKind") { return "one of xsl, custom, coded" }
        return s
    }
}

extension PackageManifest.CodingKeys {
    static var allKeys: [String] {
        ["name", "summary", "version", "author", "license", "depends", "reports", "fonts", "images", "translations"]
    }
}

/// A problem found in a package: the file it is in (the manifest or a file it references), the
/// line and column when known, and what is wrong.
public struct PackageProblem: Sendable, Hashable, CustomStringConvertible {
    /// The package (manifest name, or folder name when the manifest cannot be read).
    public var package: String?
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(package: String?, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.package = package; self.file = file; self.line = line; self.column = column; self.message = message
    }

    init(package: String?, file: String, mark: Mark?, message: String) {
        self.init(package: package, file: file, line: mark?.line, column: mark?.column, message: message)
    }

    init(package: String?, error: ReportError, file: String) {
        self.init(package: package, file: error.location?.file ?? file, line: error.location?.line,
                  column: error.location?.column, message: error.message)
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)"; if let column { s += ":\(column)" } }
        return s + ": error: " + message
    }

    /// The problem as a `.package` error.
    public var error: ReportError {
        if let line { return ReportError(.package, message, at: SourceLocation(file: file, line: line, column: column ?? 1)) }
        return ReportError(.package, "\(file): \(message)")
    }
}
