import Foundation
import Testing
@testable import FolioReports

@Suite struct PackageManifestTests {
    static let file = "/pkgs/demo/folio-package.yaml"

    func parse(_ yaml: String) throws(ReportError) -> (manifest: PackageManifest, problems: [PackageProblem]) {
        try PackageManifest.parse(yaml: yaml, file: Self.file)
    }

    func error(_ yaml: String) -> ReportError? {
        do { _ = try parse(yaml); return nil } catch { return error }
    }

    @Test func fullManifest() throws {
        let (m, problems) = try parse("""
        name: demo
        summary: A demo package
        version: 1.2.3
        author: Folio
        depends:
          base: ">=1.0.0 <2.0.0"
          other: ^0.3
        reports:
          - name: demo.list
            title: Demo list
            model: res.partner
            kind: xsl
            files:
              stylesheet: report/list.xsl
              template: report/list.xml
              sample: samples/list.xml
          - name: demo.custom
            kind: custom
            files: {definition: custom/demo.yaml}
          - name: report.demo.coded
            kind: coded
        fonts:
          - {name: DejaVuSans, file: fonts/DejaVuSans.ttf}
        images:
          - file: images/logo.png
        translations:
          fr: i18n/fr.po
          pt_BR: i18n/pt_BR.po
        """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(m.name == "demo")
        #expect(m.version == SemanticVersion(1, 2, 3))
        #expect(m.depends["base"]?.contains(SemanticVersion(1, 9, 0)) == true)
        #expect(m.depends["other"]?.contains(SemanticVersion(0, 4, 0)) == false)
        #expect(m.reports.map(\.kind) == [.xsl, .custom, .coded])
        #expect(m.reports[0].files.template == "report/list.xml")
        #expect(m.images[0].key == "logo")
        #expect(m.translations["pt_BR"] == "i18n/pt_BR.po")
        #expect(m.report(named: "demo.custom")?.files.definition == "custom/demo.yaml")
    }

    @Test func missingKeyNamesFileAndLine() {
        let e = error("name: demo\nsummary: x\n")
        #expect(e?.message.contains("missing required key 'version'") == true)
        #expect(e?.location?.file == Self.file)
        #expect(e?.location?.line == 1)
    }

    @Test func badVersionPointsAtItsLine() {
        let e = error("name: demo\nsummary: x\nversion: 1.0\n")
        #expect(e?.message.contains("x.y.z") == true, "\(String(describing: e))")
        #expect(e?.location?.line == 3)
        #expect(e?.description.hasPrefix("\(Self.file):3:") == true)
    }

    @Test func badRangeAndKind() {
        let e1 = error("name: demo\nsummary: x\nversion: 1.0.0\ndepends:\n  base: '>=banana'\n")
        #expect(e1?.message.contains("depends.base") == true, "\(String(describing: e1))")
        #expect(e1?.message.contains("'>=banana'") == true)
        #expect(e1?.location?.line == 5)
        let e2 = error("name: demo\nsummary: x\nversion: 1.0.0\nreports:\n  - name: a\n    kind: pdf\n")
        #expect(e2?.message.contains("reports[0].kind") == true, "\(String(describing: e2))")
        #expect(e2?.location?.line == 6)
    }

    @Test func yamlSyntaxError() {
        let e = error("name: demo\nsummary: [unclosed\nversion: 1.0.0\n")
        #expect(e?.message.contains("YAML syntax error") == true, "\(String(describing: e))")
        #expect(e?.location?.file == Self.file)
        #expect((e?.location?.line ?? 0) >= 2)
    }

    @Test func notAMapping() {
        #expect(error("- a\n- b\n")?.message.contains("mapping") == true)
        #expect(error("")?.message.contains("empty") == true)
    }

    @Test func structuralProblemsHaveLines() throws {
        let (_, problems) = try parse("""
        name: Demo-Pkg
        summary: x
        version: 1.0.0
        dependz: {}
        depends:
          Demo-Pkg: "*"
        reports:
          - name: a.b
            kind: xsl
            files:
              stylesheet: ../outside.xsl
              sampel: x.xml
          - name: a.b
            kind: custom
          - name: c
            kind: coded
            files: {template: t.xml}
        fonts:
          - {name: My Font, file: /abs/font.ttf}
        translations:
          French: fr.po
        """)
        let text = problems.map(\.description).joined(separator: "\n")
        for expected in ["package name 'Demo-Pkg' is not valid", "unknown key 'dependz'", "depends on itself",
                         "'../outside.xsl' leaves the package folder", "unknown key 'sampel'",
                         "report 'a.b' is declared twice", "(kind custom) needs files.definition",
                         "(kind coded) cannot have files.template", "font name 'My Font'", "is absolute",
                         "language 'French'"] {
            #expect(text.contains(expected), "missing: \(expected)\n\(text)")
        }
        let unknown = problems.first { $0.message.contains("dependz") }
        #expect(unknown?.line == 4)
        #expect(unknown?.file == Self.file)
        #expect(problems.allSatisfy { $0.file == Self.file && $0.line != nil })
    }

    @Test func pathRules() {
        #expect(PackageManifest.pathProblem("report/a.xsl") == nil)
        #expect(PackageManifest.pathProblem("/etc/passwd") != nil)
        #expect(PackageManifest.pathProblem("a/../../b") != nil)
        #expect(PackageManifest.pathProblem("a//b") != nil)
        #expect(PackageManifest.pathProblem("./a") != nil)
        #expect(PackageManifest.pathProblem("a\\b") != nil)
        #expect(PackageManifest.pathProblem("") != nil)
    }

    @Test func fileProblemsNameTheFiles() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        let dir = Fixtures.writePackage(root, "demo", reports: ["demo.ok"], extraManifest: """
          - name: demo.missing
            kind: xsl
            files: {stylesheet: report/nope.xsl}
          - name: demo.broken
            kind: xsl
            files: {stylesheet: report/broken.xsl, template: report/notxslt.xml}
          - name: demo.custom
            kind: custom
            files: {definition: custom/pie.yaml}
        fonts:
          - {name: Fake, file: report/demo_ok.xsl}

        """)
        try Data("<xsl:stylesheet xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\n<oops>\n</xsl:stylesheet>".utf8)
            .write(to: dir.appendingPathComponent("report/broken.xsl"))
        try Data("<data/>".utf8).write(to: dir.appendingPathComponent("report/notxslt.xml"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("custom"), withIntermediateDirectories: true)
        try Data("name: demo.custom\ntitle: Pie\nmodel: sale.order\ntype: pie\ncolumns:\n  - {title: A, field: a}\n".utf8)
            .write(to: dir.appendingPathComponent("custom/pie.yaml"))
        let problems = try ReportPackage.load(from: dir).problems()
        let text = problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("report 'demo.missing', stylesheet: file 'report/nope.xsl' does not exist"), "\(text)")
        let broken = problems.first { $0.file.hasSuffix("report/broken.xsl") }
        #expect(broken?.message.contains("not well-formed") == true, "\(text)")
        #expect(broken?.line == 3)
        #expect(text.contains("pie chart needs exactly two columns"))
        #expect(text.contains("font 'Fake' is not a TrueType"))
        #expect(!text.contains("notxslt.xml: error"), "a data template need not be XSLT")
    }

    @Test func definitionErrorsHaveLines() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        let u = root.appendingPathComponent("d.yaml")
        try Data("name: x\ntitle: X\ntype: donut\ncolumns: []\n".utf8).write(to: u)
        do {
            _ = try ReportPackage.decodeDefinition(at: u)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .definition)
            #expect(error.location?.file == u.path)
            #expect(error.location?.line == 3)
        }
        let j = root.appendingPathComponent("d.json")
        try Data(#"{"name": "x", "title": "X", "type": "bar", "model": "m", "columns": [{"title": "A", "field": "a"}, {"title": "B", "field": "b"}]}"#.utf8).write(to: j)
        let d = try ReportPackage.decodeDefinition(at: j)
        #expect(d.type == .bar)
        #expect(ReportPackage.definitionProblems(d, reportName: "x").isEmpty)
    }
}

@Suite struct PackageVersionTests {
    @Test func versions() {
        #expect(SemanticVersion("1.2.3") == SemanticVersion(1, 2, 3))
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("1.2.3-beta") == nil)
        #expect(SemanticVersion("01.2.3") == nil)
        #expect(SemanticVersion("v1.2.3") == nil)
        #expect(SemanticVersion(1, 10, 0) > SemanticVersion(1, 9, 9))
        #expect(SemanticVersion(2, 0, 0) > SemanticVersion(1, 99, 99))
        #expect(SemanticVersion(1, 2, 3).description == "1.2.3")
    }

    func range(_ s: String) throws -> VersionRange { try VersionRange(parsing: s) }
    func v(_ s: String) -> SemanticVersion { SemanticVersion(s)! }

    @Test func ranges() throws {
        let cases: [(String, [String], [String])] = [
            (">=1.0.0 <2.0.0", ["1.0.0", "1.9.9"], ["0.9.9", "2.0.0"]),
            ("^1.2", ["1.2.0", "1.99.0"], ["1.1.9", "2.0.0"]),
            ("^1.2.3", ["1.2.3", "1.3.0"], ["1.2.2", "2.0.0"]),
            ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0", "0.2.2"]),
            ("^0.0.3", ["0.0.3"], ["0.0.4", "0.0.2"]),
            ("~1.2.3", ["1.2.3", "1.2.99"], ["1.3.0", "1.2.2"]),
            ("~1.2", ["1.2.0", "1.2.7"], ["1.3.0"]),
            ("~1", ["1.0.0", "1.9.0"], ["2.0.0"]),
            ("*", ["0.0.1", "99.0.0"], []),
            ("", ["1.0.0"], []),
            ("1.2.x", ["1.2.0", "1.2.5"], ["1.3.0"]),
            ("1.2.3", ["1.2.3"], ["1.2.4"]),
            ("=1.2.3", ["1.2.3"], ["1.2.4"]),
            (">1.2", ["1.3.0"], ["1.2.9"]),
            ("<=1.2", ["1.2.9"], ["1.3.0"]),
            (">= 1.0.0, < 1.5.0", ["1.4.9"], ["1.5.0"]),
            ("^1.0 || ^3.0", ["1.5.0", "3.1.0"], ["2.0.0"]),
        ]
        for (text, yes, no) in cases {
            let r = try range(text)
            for s in yes { #expect(r.contains(v(s)), "\(text) should contain \(s)") }
            for s in no { #expect(!r.contains(v(s)), "\(text) should not contain \(s)") }
        }
        #expect(try range("^1.2").normalized == ">=1.2.0 <2.0.0")
        #expect(try range("~1.2.3").normalized == ">=1.2.3 <1.3.0")
    }

    @Test func badRanges() {
        for bad in [">=banana", "^", "1.2.3.4", "~>1.0", "1.0 ||", ">=-1", "1.02"] {
            #expect(throws: ReportError.self, "\(bad)") { try VersionRange(parsing: bad) }
        }
        do {
            _ = try VersionRange(parsing: ">=1.0 <two")
        } catch {
            #expect(error.message.contains("'<two'"))
        }
    }
}
