import Foundation
import FolioRML
import Testing
@testable import FolioReports

/// Helpers shared by the package, chart and coded-report tests.
enum Fixtures {
    /// The checkout's root (this file is Tests/FolioReportsTests/…; symlinks resolved).
    static let checkout: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = checkout.appendingPathComponent("templates")

    /// A fresh temporary folder, removed by the caller with `cleanup`.
    static func tempDir(_ tag: String = "pkg") -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("folio-\(tag)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    static func cleanup(_ u: URL) { try? FileManager.default.removeItem(at: u) }

    static let stylesheet = """
    <?xml version="1.0"?>
    <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:template match="/"><document/></xsl:template>
    </xsl:stylesheet>

    """

    /// Writes a small valid package `name` into `root/<folder ?? name>`: one xsl report per
    /// name in `reports` with its stylesheet and sample.
    @discardableResult
    static func writePackage(_ root: URL, _ name: String, version: String = "1.0.0", depends: [String: String] = [:],
                             reports: [String] = [], folder: String? = nil, extraManifest: String = "") -> URL {
        let dir = root.appendingPathComponent(folder ?? name)
        let fm = FileManager.default
        try! fm.createDirectory(at: dir.appendingPathComponent("report"), withIntermediateDirectories: true)
        var yaml = "name: \(name)\nsummary: Test package \(name)\nversion: \(version)\n"
        if !depends.isEmpty {
            yaml += "depends:\n" + depends.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"\n" }.joined()
        }
        if !reports.isEmpty {
            yaml += "reports:\n"
            for r in reports {
                let file = r.replacingOccurrences(of: ".", with: "_")
                yaml += """
                  - name: \(r)
                    model: res.partner
                    kind: xsl
                    files:
                      stylesheet: report/\(file).xsl
                      sample: report/\(file).data.xml

                """
                try! Data(stylesheet.utf8).write(to: dir.appendingPathComponent("report/\(file).xsl"))
                try! Data("<data><row>1</row></data>\n".utf8).write(to: dir.appendingPathComponent("report/\(file).data.xml"))
            }
        }
        yaml += extraManifest
        try! Data(yaml.utf8).write(to: dir.appendingPathComponent(PackageManifest.fileName))
        return dir
    }

    /// Every file and folder under `root`, hidden ones included, with file contents.
    static func snapshot(_ root: URL) -> [String: Data?] {
        var out: [String: Data?] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: root.path) else { return out }
        while let rel = e.nextObject() as? String {
            let p = root.appendingPathComponent(rel).path
            var isDir: ObjCBool = false
            fm.fileExists(atPath: p, isDirectory: &isDir)
            out[rel] = isDir.boolValue ? nil : fm.contents(atPath: p)
        }
        return out
    }

    /// Parses RML with every unknown element or attribute an error.
    static func parseStrict(_ rml: String, file: String = "test.rml") throws -> RMLDocument {
        try RMLParser(fileName: file).parse(Data(rml.utf8), diagnostics: DiagnosticSink(strict: true))
    }

    /// Wraps canvas operations in a one-page document with an illustration, and parses it.
    static func parseIllustration(_ ops: String, width: Double = 400, height: Double = 300) throws -> RMLElement {
        let doc = """
        <document><template pagesize="(595,842)"><pageTemplate id="p"><frame id="f" x1="20" y1="20" width="555" height="800"/></pageTemplate></template>
        <story><illustration width="\(width)" height="\(height)">
        \(ops)
        </illustration></story></document>
        """
        let parsed = try parseStrict(doc)
        return parsed.story!.first("illustration")!
    }

    /// All descendants named `name`.
    static func all(_ name: String, in e: RMLElement) -> [RMLElement] {
        var out: [RMLElement] = []
        for c in e.elements {
            if c.name == name { out.append(c) }
            out += all(name, in: c)
        }
        return out
    }

    /// xsltproc's path when installed.
    static let xsltproc: String? = ["/usr/bin/xsltproc", "/usr/local/bin/xsltproc", "/opt/homebrew/bin/xsltproc"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs xsltproc on a stylesheet and a document; returns its output.
    static func xslt(_ stylesheet: URL, _ input: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: xsltproc!)
        p.arguments = ["--nonet", stylesheet.path, input.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            throw ReportError(.stylesheet, "xsltproc failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite struct PackageFixturesTests {
    @Test func fixturePackageIsValid() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        let dir = Fixtures.writePackage(root, "alpha", reports: ["alpha.one"])
        let p = try ReportPackage.load(from: dir)
        #expect(p.problems().isEmpty)
        #expect(p.manifest.reports.map(\.name) == ["alpha.one"])
    }
}
