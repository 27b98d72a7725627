import Foundation
import Testing
@testable import FolioReports

/// Real OpenERP XSL:RML stylesheets (kept beside the checkout in ../shared/openerp, or
/// `FOLIO_OPENERP`) applied to sample data: Folio's transform must give the same bytes as
/// `xsltproc`. When `xsltproc` is not installed, the output is checked against the length, hash
/// and fragments recorded from it.
@Suite struct XSLTOpenERPTests {
    struct Case: Sendable, CustomStringConvertible {
        var sandbox: String      // relative to xsl_rml
        var stylesheet: String   // relative to the sandbox
        var data: String         // relative to samples
        var length: Int
        var fnv1a: UInt64
        var fragments: [String]
        var files: Int           // the stylesheet and what it imports
        var description: String { stylesheet }
    }

    static let cases: [Case] = [
        Case(sandbox: "addons_4.x", stylesheet: "stock/report/picking.xsl", data: "stock_picking_4x.data.xml",
             length: 7435, fnv1a: 0x00ec_390e_99dd_40eb,
             fragments: [#"<drawRightString x="200mm" y="25.5cm" t="1">Packing List</drawRightString>"#,
                         #"<para style="prod">DDR 512MB PC400 Kingston</para>"#,
                         "<setNextTemplate name=\"first_page\"/><nextFrame/></story></document>\n"], files: 3),
        Case(sandbox: "server_5.0", stylesheet: "base/res/partner/report/partner_address.xsl", data: "partner_labels_5x.data.xml",
             length: 1422, fnv1a: 0xe5d8_ab9a_c23a_0e50,
             fragments: [#"<para style="nospace">23410 Taiwan</para>"#, #"title="Address list""#], files: 1),
        Case(sandbox: "server_5.0", stylesheet: "base/report/custom_new.xsl", data: "custom_table_5x.data.xml",
             length: 1625, fnv1a: 0xfcc8_de75_2197_6580,
             fragments: ["<td><xpre>Müller &amp; Söhne GmbH</xpre></td>", #"pageSize="29.7cm,21cm""#], files: 3),
    ]

    static var root: String {
        ProcessInfo.processInfo.environment["FOLIO_OPENERP"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/openerp").path
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func xsltproc() -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/xsltproc") {
            return dir + "/xsltproc"
        }
        return nil
    }

    @Test(arguments: cases)
    func sameRMLAsXsltproc(_ c: Case) throws {
        let root = Self.root
        try #require(FileManager.default.fileExists(atPath: root + "/xsl_rml"), "the OpenERP sources are missing at \(root) (set FOLIO_OPENERP)")
        let sandbox = root + "/xsl_rml/" + c.sandbox
        let stylesheet = sandbox + "/" + c.stylesheet
        let dataPath = root + "/samples/" + c.data

        let cache = StylesheetCache()
        let style = try cache.stylesheet(at: stylesheet, sandbox: sandbox)
        let doc = try XMLDocument.parse(contentsOf: dataPath)
        let ours = try XSLTTransformer.transform(style, doc)

        if let tool = Self.xsltproc() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = [stylesheet, dataPath]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let theirs = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            #expect(ours == theirs, "differs from xsltproc:\n\(String(decoding: ours, as: UTF8.self))\n---\n\(String(decoding: theirs, as: UTF8.self))")
        }
        // Always: the recorded reference (xsltproc 1.1.35 / libxml2 2.9.14).
        let text = String(decoding: ours, as: UTF8.self)
        #expect(ours.count == c.length)
        #expect(Self.fnv1a(ours) == c.fnv1a, "hash \(String(Self.fnv1a(ours), radix: 16))")
        for f in c.fragments { #expect(text.contains(f), "missing \(f)") }
        // The same stylesheet again comes from the cache.
        _ = try cache.stylesheet(at: stylesheet, sandbox: sandbox)
        #expect(cache.compilations == 1)
        #expect(style.files.count == c.files, "imports are dependencies: \(style.files)")
    }

    @Test func everyOpenERPStylesheetCompiles() throws {
        let root = Self.root
        try #require(FileManager.default.fileExists(atPath: root + "/xsl_rml"), "the OpenERP sources are missing at \(root) (set FOLIO_OPENERP)")
        let cache = StylesheetCache()
        var count = 0
        for version in try FileManager.default.contentsOfDirectory(atPath: root + "/xsl_rml").sorted() {
            let sandbox = root + "/xsl_rml/" + version
            guard let files = FileManager.default.enumerator(atPath: sandbox) else { continue }
            for case let file as String in files where file.hasSuffix(".xsl") {
                do {
                    let style = try cache.stylesheet(at: sandbox + "/" + file, sandbox: sandbox)
                    #expect(style.warnings.allSatisfy { !$0.isError })
                    count += 1
                } catch {
                    Issue.record("\(version)/\(file): \(error)")
                }
            }
        }
        #expect(count >= 10)
    }

    @Test func pickingListIsTranslated() throws {
        let root = Self.root
        try #require(FileManager.default.fileExists(atPath: root + "/xsl_rml"), "the OpenERP sources are missing at \(root) (set FOLIO_OPENERP)")
        let sandbox = root + "/xsl_rml/addons_4.x"
        let catalog = TranslationCatalog(entries: ["Packing List": "Liste de colisage", "Shipping Address:": "Adresse de livraison :",
                                                   "Product": "Produit", "Concerns:": "Concerne :"])
        let style = try StylesheetCache().stylesheet(at: sandbox + "/stock/report/picking.xsl", sandbox: sandbox,
                                                     language: "fr_FR", translations: catalog)
        let out = String(decoding: try XSLTTransformer.transform(style, try XMLDocument.parse(contentsOf: root + "/samples/stock_picking_4x.data.xml")), as: UTF8.self)
        #expect(out.contains(#"t="1">Liste de colisage</drawRightString>"#), "\(out)")
        #expect(out.contains("Adresse de livraison :"))
        #expect(out.contains("Produit"))
        #expect(!out.contains("Packing List"))
    }
}
