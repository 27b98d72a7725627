import Foundation
import Testing

/// `folio validate` and `folio diff`: the designer's checks.
@Suite struct DesignerCommandTests {
    static let templates = CLI.packageRoot.appendingPathComponent("templates").path

    /// A copy of the bundled packages, to break.
    func copyOfTemplates() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.templates, toPath: dir + "/templates")
        return dir + "/templates"
    }

    @Test func bundledPackagesAreClean() throws {
        let r = try CLI.folio(["validate", Self.templates + "/openerp_stock"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("openerp_stock: 0 errors, 0 warnings; rendered stock.picking.list (3 pages)"), "\(r.stdout)")
        #expect(r.stdout.contains("sale.custom.share (1 page)"), "\(r.stdout)")
        let base = try CLI.folio(["validate", Self.templates + "/base"])
        #expect(base.status == 0 && base.stdout.contains("report.folio.pricelist (1 page)"), "\(base.stdout) \(base.stderr)")
    }

    @Test func unknownRMLAttributeIsReportedWithItsPlace() throws {
        let root = try copyOfTemplates()
        let xsl = root + "/openerp_stock/report/partner_labels.xsl"
        var text = try String(contentsOfFile: xsl, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains("<paraStyle name=\"line\"") })
        text = text.replacingOccurrences(of: "<paraStyle name=\"line\"", with: "<paraStyle bogusAttribute=\"1\" name=\"line\"")
        try text.write(toFile: xsl, atomically: true, encoding: .utf8)
        let r = try CLI.folio(["validate", root + "/openerp_stock"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bogusAttribute") && r.stderr.contains("[res.partner.address]"), "\(r.stderr)")
        // The warning names the generated RML and the stylesheet line of the literal <paraStyle>.
        #expect(r.stderr.contains("(written by \(URL(fileURLWithPath: xsl).standardizedFileURL.path):\(index + 1))"), "\(r.stderr)")
        #expect(r.stdout.contains("0 errors, 1 warning"), "\(r.stdout)")
    }

    @Test func malformedStylesheetIsAnErrorWithItsLine() throws {
        let root = try copyOfTemplates()
        let xsl = root + "/openerp_stock/report/picking.xsl"
        var lines = try String(contentsOfFile: xsl, encoding: .utf8).components(separatedBy: "\n")
        lines[19] += "<unclosed>"
        try lines.joined(separator: "\n").write(toFile: xsl, atomically: true, encoding: .utf8)
        let r = try CLI.folio(["validate", root + "/openerp_stock"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("picking.xsl:") && r.stderr.contains("error:"), "\(r.stderr)")
        #expect(r.stdout.contains("openerp_stock: ") && !r.stdout.contains(" 0 errors"), "\(r.stdout)")
    }

    @Test func missingDependencyIsAnError() throws {
        let root = try copyOfTemplates()
        try FileManager.default.removeItem(atPath: root + "/base")
        let r = try CLI.folio(["validate", root + "/openerp_stock"])
        #expect(r.status == 1 && r.stderr.contains("base"), "\(r.stderr)")
    }

    // MARK: diff

    @Test func diffFindsAChangedWordAndDrawsIt() throws {
        let dir = try CLI.temporaryDirectory()
        let invoice = CLI.packageRoot.appendingPathComponent("samples/invoice.rml").path
        let changed = try String(contentsOfFile: invoice, encoding: .utf8).replacingOccurrences(of: "Payment terms", with: "Payment termz")
        try changed.write(toFile: dir + "/changed.rml", atomically: true, encoding: .utf8)
        let samples = CLI.packageRoot.appendingPathComponent("samples").path
        #expect(try CLI.folio(["render", invoice, "-o", dir + "/a.pdf"]).status == 0)
        #expect(try CLI.folio(["render", dir + "/changed.rml", "--resource-path", samples, "-o", dir + "/b.pdf"]).status == 0)

        let same = try CLI.folio(["diff", dir + "/a.pdf", dir + "/a.pdf"])
        #expect(same.status == 0 && same.stdout.contains("page 1: same (0.000 % of pixels)"), "\(same.stdout)")

        let r = try CLI.folio(["diff", dir + "/a.pdf", dir + "/b.pdf", "-o", dir + "/diff"])
        #expect(r.status == 1 && r.stdout.contains("page 1: differs"), "\(r.stdout) \(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/diff/page-1.png"))
        // A tolerance above the change accepts it.
        let tolerant = try CLI.folio(["diff", dir + "/a.pdf", dir + "/b.pdf", "--tolerance", "5"])
        #expect(tolerant.status == 0, "\(tolerant.stdout)")
    }

    @Test func diffCountsPages() throws {
        let dir = try CLI.temporaryDirectory()
        let ledger = CLI.packageRoot.appendingPathComponent("samples/ledger.rml").path
        let invoice = CLI.packageRoot.appendingPathComponent("samples/invoice.rml").path
        #expect(try CLI.folio(["render", invoice, "-o", dir + "/a.pdf"]).status == 0)
        #expect(try CLI.folio(["render", ledger, "-o", dir + "/b.pdf"]).status == 0)
        let r = try CLI.folio(["diff", dir + "/a.pdf", dir + "/b.pdf", "--dpi", "20"])
        #expect(r.status == 1 && r.stdout.contains("page count: 1 in"), "\(r.stdout)")
        let missing = try CLI.folio(["diff", dir + "/a.pdf", dir + "/nothing.pdf"])
        #expect(missing.status == 2 && missing.stderr.contains("nothing.pdf"), "\(missing.stderr)")
    }
}
