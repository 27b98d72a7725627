import Foundation
import Testing
@testable import FolioReports

/// The shipped packages through Folio's own XSLT stage (not xsltproc): stylesheets import
/// `../../base/xsl/page.xsl`, so the sandbox must cover the repository, not only the package.
@Suite struct PackageXSLTStageTests {
    let repo = PackageRepository(root: Fixtures.templates)

    @Test func xslReportsCompileAndRunWithRepositorySandbox() throws {
        let cache = StylesheetCache()
        for name in ["stock.picking.list", "res.partner.address", "base.custom_table.demo"] {
            let r = try repo.resolve(report: name)
            #expect(r.sandbox.path == repo.root.path)
            let sheet = try cache.stylesheet(at: r.stylesheetURL!.path, sandbox: r.sandbox.path)
            let input = try XMLDocument.parse(contentsOf: r.sampleURL!.path)
            let out = try XSLTTransformer.transform(sheet, input)
            _ = try Fixtures.parseStrict(String(decoding: out, as: UTF8.self), file: name)
        }
    }

    @Test func packageFolderAloneIsNotEnoughForImports() throws {
        let r = try repo.resolve(report: "stock.picking.list")
        do {
            _ = try StylesheetCache().stylesheet(at: r.stylesheetURL!.path, sandbox: r.package.folder.path)
            Issue.record("compiled with an import outside the sandbox")
        } catch {
            #expect((error as? ReportError)?.kind == .security, "\(error)")
        }
    }
}
