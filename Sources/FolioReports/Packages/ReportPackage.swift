import FolioRML
import Foundation
import Yams

/// A report package: a folder holding `folio-package.yaml` and the files it names.
public struct ReportPackage: Sendable {
    public let manifest: PackageManifest
    /// The package folder (absolute, standardized).
    public let folder: URL
    /// Problems found while decoding the manifest (unknown keys, bad names, bad paths).
    let manifestProblems: [PackageProblem]

    public var name: String { manifest.name }
    public var version: SemanticVersion { manifest.version }
    /// The manifest file.
    public var manifestURL: URL { folder.appendingPathComponent(PackageManifest.fileName) }

    public init(manifest: PackageManifest, folder: URL) {
        self.manifest = manifest
        self.folder = folder.standardizedFileURL
        self.manifestProblems = []
    }

    private init(manifest: PackageManifest, folder: URL, problems: [PackageProblem]) {
        self.manifest = manifest
        self.folder = folder.standardizedFileURL
        self.manifestProblems = problems
    }

    /// Reads the manifest of the package in `folder`. Throws when it is missing, is not valid YAML
    /// or lacks a required key; everything else is reported by `problems()`.
    public static func load(from folder: URL) throws(ReportError) -> ReportPackage {
        let url = folder.appendingPathComponent(PackageManifest.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ReportError(.package, "\(folder.path): no \(PackageManifest.fileName) (not a report package)")
        }
        let text = try PackageManifest.readText(url, label: url.path)
        let (manifest, problems) = try PackageManifest.parse(yaml: text, file: url.path)
        return ReportPackage(manifest: manifest, folder: folder, problems: problems)
    }

    /// The absolute URL of a path relative to the package folder.
    public func url(for relativePath: String) -> URL {
        folder.appendingPathComponent(relativePath)
    }

    /// Everything wrong with the package on its own (dependencies are checked by the repository):
    /// the manifest's structural problems, then missing or misplaced files, XML that is not
    /// well-formed, stylesheets that are not XSLT, custom definitions that do not decode or do
    /// not fit their chart type, fonts that are not TrueType.
    public func problems() -> [PackageProblem] {
        var out = manifestProblems
        let manifestPath = manifestURL.path
        func add(_ file: String, _ message: String, line: Int? = nil, column: Int? = nil) {
            out.append(PackageProblem(package: name, file: file, line: line, column: column, message: message))
        }
        /// Checks that a path names a regular file inside the package; returns its URL if so.
        func existing(_ path: String, _ what: String) -> URL? {
            if PackageManifest.pathProblem(path) != nil { return nil } // already reported
            let url = self.url(for: path)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
                add(manifestPath, "\(what): file '\(path)' does not exist")
                return nil
            }
            if isDir.boolValue { add(manifestPath, "\(what): '\(path)' is a folder, not a file"); return nil }
            let real = url.resolvingSymlinksInPath().path
            let root = folder.resolvingSymlinksInPath().path
            if !real.hasPrefix(root + "/") {
                add(manifestPath, "\(what): '\(path)' is a link to a file outside the package")
                return nil
            }
            return url
        }
        for r in manifest.reports {
            let what = "report '\(r.name)'"
            if let p = r.files.stylesheet, let u = existing(p, "\(what), stylesheet") {
                checkXML(u, add: add, mustBeXSLT: true)
            }
            if let p = r.files.template, let u = existing(p, "\(what), template") {
                checkXML(u, add: add, mustBeXSLT: false)
            }
            if let p = r.files.sample, let u = existing(p, "\(what), sample") {
                if u.pathExtension.lowercased() == "xml" { checkXML(u, add: add, mustBeXSLT: false) }
            }
            if let p = r.files.models { _ = existing(p, "\(what), models") }
            if let p = r.files.definition, let u = existing(p, "\(what), definition") {
                do {
                    let def = try Self.decodeDefinition(at: u)
                    for message in Self.definitionProblems(def, reportName: r.name) { add(u.path, message) }
                } catch {
                    let e = PackageProblem(package: name, error: error, file: u.path)
                    out.append(e)
                }
            }
        }
        for f in manifest.fonts {
            guard let u = existing(f.file, "font '\(f.name)'") else { continue }
            let head = (try? FileHandle(forReadingFrom: u)).map { h in defer { try? h.close() }; return h.readData(ofLength: 4) } ?? Data()
            let magic = [UInt8](head)
            let ok = magic == [0, 1, 0, 0] || magic == Array("true".utf8) || magic == Array("OTTO".utf8) || magic == Array("ttcf".utf8)
            if !ok { add(u.path, "font '\(f.name)' is not a TrueType/OpenType font") }
        }
        for img in manifest.images { _ = existing(img.file, "image '\(img.key)'") }
        for (lang, path) in manifest.translations.sorted(by: { $0.key < $1.key }) {
            _ = existing(path, "translation '\(lang)'")
        }
        return out
    }

    private func checkXML(_ url: URL, add: (String, String, Int?, Int?) -> Void, mustBeXSLT: Bool) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            add(url.path, "cannot read the file", nil, nil)
            return
        }
        let r = XMLCheck.check(data, label: url.path)
        if let e = r.error {
            add(url.path, "not well-formed XML: \(e.message)", e.line, e.column)
        } else if mustBeXSLT && (r.rootNamespace != XMLCheck.xsltNamespace || !(r.rootName == "stylesheet" || r.rootName == "transform")) {
            add(url.path, "not an XSLT stylesheet (the root is <\(r.rootName ?? "?")>, expected <xsl:stylesheet>)", nil, nil)
        }
    }

    // MARK: custom definitions

    /// Decodes a custom report definition (`.json` as JSON, anything else as YAML); errors name
    /// the file and, for YAML, the line.
    public static func decodeDefinition(at url: URL) throws(ReportError) -> CustomReportDefinition {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReportError(.definition, "cannot read '\(url.path)'")
        }
        if url.pathExtension.lowercased() == "json" {
            do {
                return try JSONDecoder().decode(CustomReportDefinition.self, from: data)
            } catch let e as DecodingError {
                throw ReportError(.definition, "\(url.path): \(Self.describe(e))")
            } catch {
                throw ReportError(.definition, "\(url.path): not valid JSON: \(error.localizedDescription)")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError(.definition, "'\(url.path)' is not UTF-8 text")
        }
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw ReportError(.definition, "\(url.path): the definition is empty") }
            root = n
        } catch let e as ReportError {
            throw e
        } catch {
            var e = PackageManifest.yamlError(error, file: url.path)
            e.kind = .definition
            throw e
        }
        do {
            return try YAMLDecoder().decode(CustomReportDefinition.self, from: text)
        } catch let e as DecodingError {
            var r = PackageManifest.decodingError(e, root: root, file: url.path)
            r.kind = .definition
            throw r
        } catch {
            throw ReportError(.definition, "\(url.path): \(error)")
        }
    }

    /// What is wrong with a definition for the report it is declared as (column counts per chart type).
    public static func definitionProblems(_ d: CustomReportDefinition, reportName: String?) -> [String] {
        var out: [String] = []
        if let reportName, d.name != reportName {
            out.append("the definition is named '\(d.name)' but declared as report '\(reportName)'")
        }
        if d.columns.isEmpty { out.append("the definition has no columns") }
        if d.model == nil && d.view == nil { out.append("the definition names neither a model nor a view") }
        switch d.type {
        case .pie where d.columns.count != 2:
            out.append("a pie chart needs exactly two columns (label, value); this one has \(d.columns.count)")
        case .bar where d.columns.count < 2, .line where d.columns.count < 2:
            out.append("a \(d.type.rawValue) chart needs at least two columns (category, values…); this one has \(d.columns.count)")
        default: break
        }
        if let limit = d.limit, limit < 0 { out.append("limit must not be negative") }
        for c in d.columns {
            if c.field.split(separator: ".").count > 4 {
                out.append("column '\(c.title)': field path '\(c.field)' has more than four steps")
            }
            if let w = c.width, w < 0 { out.append("column '\(c.title)': negative width") }
        }
        return out
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String { p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let c): return "missing key '\(k.stringValue)'" + (c.codingPath.isEmpty ? "" : " in \(path(c.codingPath))")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
