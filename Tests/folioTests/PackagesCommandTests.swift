import Foundation
import Testing

/// `folio packages …` as a user runs it.
@Suite struct PackagesCommandTests {
    @Test func packInstallListRemove() throws {
        let dir = try CLI.temporaryDirectory()
        let repo = dir + "/installed"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        let templates = CLI.packageRoot.path + "/templates"
        #expect(try CLI.folio(["packages", "check", "--templates", templates]).status == 0)
        for name in ["base", "openerp_stock"] {
            let r = try CLI.folio(["packages", "pack", templates + "/" + name, "-o", dir + "/\(name).tar"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        // A package whose dependency is missing is refused and leaves the installed set unchanged.
        let refused = try CLI.folio(["packages", "install", "--templates", repo, dir + "/openerp_stock.tar"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("base"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo).filter { !$0.hasPrefix(".") }.isEmpty)

        #expect(try CLI.folio(["packages", "install", "--templates", repo, dir + "/base.tar"]).status == 0)
        #expect(try CLI.folio(["packages", "install", "--templates", repo, dir + "/openerp_stock.tar"]).status == 0)
        let list = try CLI.folio(["packages", "list", "--templates", repo]).stdout
        #expect(list.contains("openerp_stock 1.0.0") && list.contains("stock.picking.list"))
        // base is needed by openerp_stock.
        #expect(try CLI.folio(["packages", "remove", "--templates", repo, "base"]).status == 1)
        #expect(try CLI.folio(["packages", "remove", "--templates", repo, "openerp_stock"]).status == 0)
        #expect(try CLI.folio(["packages", "remove", "--templates", repo, "base"]).status == 0)
    }
}
