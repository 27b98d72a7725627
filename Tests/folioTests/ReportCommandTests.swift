import Foundation
import PostgresTestSupport
import Testing

/// `folio render --report NAME`: the report kinds of the bundled packages (XSL:RML with a data
/// template, custom tables and charts, coded) from their samples and from the sample database.
@Suite struct ReportCommandTests {
    static let templates = CLI.packageRoot.appendingPathComponent("templates").path

    func render(_ arguments: [String]) throws -> (CLI.Result, String, String) {
        let dir = try CLI.temporaryDirectory()
        let out = dir + "/out.pdf"
        let r = try CLI.folio(["render", "--templates", Self.templates, "-o", out] + arguments)
        return (r, out, r.status == 0 ? try CLI.text(out) : "")
    }

    // MARK: from the packages' sample data

    @Test func packingListFromItsSample() throws {
        let (r, _, text) = try render(["--report", "stock.picking.list", "--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(text.contains("Packing list OUT/00012") && text.contains("Pendant lamp Orbe"))
    }

    @Test func customTableFromItsSample() throws {
        let (r, _, text) = try render(["--report", "sale.custom.by_customer", "--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(text.contains("Sales per customer"))
        #expect(text.range(of: #"Agrolait\s+Belgium\s+1\s+1200\.0\s+1200\.0"#, options: .regularExpression) != nil, "\(text)")
    }

    /// Column alignments are worked out once, not per cell over every row: a 5,000-row custom
    /// table is transformed well within the 30 s XSLT limit (per cell it took longer than that).
    @Test func longCustomTablesTransformInTimeLinearInTheirRows() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = try String(contentsOfFile: Self.templates + "/base/samples/custom_table.data.xml", encoding: .utf8)
        let open = try #require(sample.range(of: "<lines>")), close = try #require(sample.range(of: "</lines>"))
        var rows: [Substring] = []
        var rest = sample[open.upperBound..<close.lowerBound]
        while let a = rest.range(of: "<row"), let b = rest.range(of: "</row>") {
            rows.append(rest[a.lowerBound..<b.upperBound])
            rest = rest[b.upperBound...]
        }
        try #require(!rows.isEmpty)
        let big = sample[..<open.upperBound] + (0..<5000).map { rows[$0 % rows.count] }.joined() + sample[close.lowerBound...]
        try big.write(toFile: dir + "/big.xml", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", "--templates", Self.templates, "--report", "base.custom_table.demo",
                               "--data", dir + "/big.xml", "--format", "rml", "-o", dir + "/big.rml"])
        #expect(r.status == 0, "\(r.stderr)")
        let rml = try String(contentsOfFile: dir + "/big.rml", encoding: .utf8)
        #expect(rml.components(separatedBy: "<tr>").count - 1 == 5001)
        // Numeric columns are still right-aligned, the others not.
        #expect(rml.contains("cell-right") && rml.contains("\"cell\""))
    }

    @Test func chartsFromTheirSamples() throws {
        let (bar, _, barText) = try render(["--report", "sale.custom.by_month", "--strict"])
        #expect(bar.status == 0, "\(bar.stderr)")
        #expect(barText.contains("Sales per month") && barText.contains("2007-09") && barText.contains("Page 1 of 1"))
        let (pie, pdf, pieText) = try render(["--report", "sale.custom.share", "--strict"])
        #expect(pie.status == 0, "\(pie.stderr)")
        #expect(pieText.contains("Belgium 1525 (89 %)"), "\(pieText)")
        // A5 landscape, as the definition asks.
        let info = try CLI.run("pdfinfo", [pdf]).stdout
        #expect(info.contains("595.") && info.contains("x 419."), "\(info)")
    }

    @Test func codedReportFromItsSample() throws {
        let (r, _, text) = try render(["--report", "report.folio.pricelist", "--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(text.contains("Price list") && text.contains("Floor lamp Héron"))
    }

    @Test func languageTranslatesMarkedText() throws {
        let (fr, _, frText) = try render(["--report", "stock.picking.list", "--lang", "fr", "--strict"])
        #expect(fr.status == 0, "\(fr.stderr)")
        #expect(frText.contains("Bon de livraison OUT/00012") && frText.contains("Quantité") && !frText.contains("Packing list"))
        // A language without a catalogue prints the text as written.
        let (de, _, deText) = try render(["--report", "stock.picking.list", "--lang", "de"])
        #expect(de.status == 0, "\(de.stderr)")
        #expect(deText.contains("Packing list OUT/00012"))
    }

    @Test func rawAndRMLFormats() throws {
        let dir = try CLI.temporaryDirectory()
        let raw = try CLI.folio(["render", "--templates", Self.templates, "--report", "sale.custom.by_customer", "--format", "raw", "-o", "-"])
        #expect(raw.status == 0 && raw.stdout.contains("<report-type>table</report-type>"), "\(raw.stderr)")
        let rml = try CLI.folio(["render", "--templates", Self.templates, "--report", "sale.custom.by_customer", "--format", "rml", "-o", dir + "/out.rml"])
        #expect(rml.status == 0, "\(rml.stderr)")
        let text = try String(contentsOfFile: dir + "/out.rml", encoding: .utf8)
        #expect(text.contains("<document") && text.contains("blockTable"))
        // Reports that build RML in code have no data XML.
        let coded = try CLI.folio(["render", "--templates", Self.templates, "--report", "report.folio.pricelist", "--format", "raw", "-o", dir + "/x.xml"])
        #expect(coded.status == 1 && coded.stderr.contains("no data XML"), "\(coded.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.xml"))
    }

    @Test func unknownReportIsAnError() throws {
        let (r, pdf, _) = try render(["--report", "no.such.report"])
        #expect(r.status == 1 && r.stderr.contains("no installed package declares report 'no.such.report'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pdf))
    }

    // MARK: errors in generated RML point at the stylesheet

    @Test func generatedRMLErrorsNameTheStylesheetLine() throws {
        let dir = try CLI.temporaryDirectory()
        try """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
        <xsl:import href="rows.xsl"/>
        <xsl:template match="/">
          <document>
            <template><pageTemplate id="p"><frame id="f" x1="50" y1="50" width="400" height="700"/></pageTemplate></template>
            <story><xsl:apply-templates select="//r"/></story>
          </document>
        </xsl:template>
        </xsl:stylesheet>
        """.write(toFile: dir + "/main.xsl", atomically: true, encoding: .utf8)
        try """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

        <xsl:template match="r">
          <para>row</para>
          <blockTable colWidths="100,x100">
            <tr><td><xsl:value-of select="."/></td></tr>
          </blockTable>
        </xsl:template>
        </xsl:stylesheet>
        """.write(toFile: dir + "/rows.xsl", atomically: true, encoding: .utf8)
        try "<d><r>1</r></d>".write(toFile: dir + "/d.xml", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", "--xsl", dir + "/main.xsl", "--data", dir + "/d.xml", "--strict", "-o", dir + "/o.pdf"])
        #expect(r.status == 1)
        // The RML place, then the stylesheet file and line of the literal <blockTable>.
        #expect(r.stderr.contains("main.xsl (generated RML):") && r.stderr.contains("'x100' is not a width"), "\(r.stderr)")
        #expect(r.stderr.contains("(written by \(URL(fileURLWithPath: dir).standardizedFileURL.path)/rows.xsl:5)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.pdf"))
    }

    // MARK: from the sample database

    @Test func packingListAndLabelsFromTheDatabase() throws {
        let db = try PostgresTestServer.url()
        let (r, pdf, text) = try render(["--report", "stock.picking.list", "--db", db, "--ids", "12,15", "--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.pageCount(pdf) == 2)
        #expect(text.contains("Packing list"), "\(text)")
        let (labels, _, labelText) = try render(["--report", "res.partner.address", "--db", db, "--ids", "1,3", "--strict"])
        #expect(labels.status == 0, "\(labels.stderr)")
        #expect(labelText.contains("Tiny sprl") && labelText.contains("ASUStek"), "\(labelText)")
    }

    @Test func customReportsFromTheDatabase() throws {
        let db = try PostgresTestServer.url()
        // Grouping with count/avg/sum, sorted by the total, descending.
        let (table, _, text) = try render(["--report", "sale.custom.by_customer", "--db", db, "--strict"])
        #expect(table.status == 0, "\(table.stderr)")
        let agrolait = text.range(of: "Agrolait"), greek = text.range(of: "Ελληνικά")
        #expect(agrolait != nil && greek != nil && agrolait!.lowerBound < greek!.lowerBound, "\(text)")
        #expect(text.range(of: #"Agrolait\s+Belgium\s+1\s+1200\.0\s+1200\.0"#, options: .regularExpression) != nil, "\(text)")
        // A bar chart of the months: the data XML the chart was drawn from, then the chart itself.
        let raw = try CLI.folio(["render", "--templates", Self.templates, "--report", "sale.custom.by_month", "--db", db, "--format", "raw", "-o", "-"])
        #expect(raw.stdout.contains("<col tree=\"no\">2007-09</col><col tree=\"no\">762.5</col><col tree=\"no\">1525.0</col>"), "\(raw.stdout)")
        let (bar, _, barText) = try render(["--report", "sale.custom.by_month", "--db", db, "--strict"])
        #expect(bar.status == 0 && barText.contains("2007-10") && barText.contains("1525"), "\(bar.stderr)")
    }

    @Test func missingRecordIsAnError() throws {
        let db = try PostgresTestServer.url()
        let (r, pdf, _) = try render(["--report", "res.partner.address", "--db", db, "--ids", "999999"])
        #expect(r.status == 1 && r.stderr.contains("no record with id 999999"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pdf))
    }

    // MARK: OpenERP's own reports, through their data templates, from the sample database

    static let openerp = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/openerp/xsl_rml").path
    static let models = CLI.packageRoot.appendingPathComponent("scripts/sample-models.yaml").path

    @Test func openERPPackingListFromTheDatabase() throws {
        let db = try PostgresTestServer.url()
        let dir = Self.openerp + "/addons_4.x"
        let (r, pdf, text) = try render(["--xsl", dir + "/stock/report/picking.xsl", "--sandbox", dir, "--db", db,
                                         "--template", dir + "/stock/report/picking.xml", "--model", "stock.picking",
                                         "--models", Self.models, "--ids", "12,15"])
        #expect(r.status == 0, "\(r.stderr)")
        // Each picking starts a page; the second one runs onto a third page.
        #expect(try CLI.pageCount(pdf) == 3)
        #expect(text.contains("Packing List") && text.contains("Rue des Palais 51") && text.contains("PACK12") && text.contains("OUT/00015"), "\(text)")
    }

    @Test func openERPPartnerLabelsFromTheDatabase() throws {
        let db = try PostgresTestServer.url()
        let dir = Self.openerp + "/server_5.0"
        let (r, _, text) = try render(["--xsl", dir + "/base/res/partner/report/partner_address.xsl", "--sandbox", dir, "--db", db,
                                       "--template", dir + "/base/res/partner/report/partner_address.xml", "--model", "res.partner",
                                       "--models", Self.models, "--ids", "1,5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(text.contains("Chaussée de Namur 40") && text.contains("40212 Düsseldorf"), "\(text)")
    }

    @Test func openERPCustomTableFromTheDatabase() throws {
        let db = try PostgresTestServer.url()
        let dir = Self.openerp + "/server_5.0"
        // custom_new.xsl always lays out A4 landscape (OpenERP's own limitation), so ask for that.
        let work = try CLI.temporaryDirectory()
        try """
        name: sales.landscape
        title: Sales per customer
        model: sale.order
        type: table
        orientation: landscape
        sort: -Total
        columns:
          - {title: Customer, field: partner_id.name, groupBy: true}
          - {title: Orders, field: id, operation: count}
          - {title: Total, field: amount_total, operation: sum}
        """.write(toFile: work + "/def.yaml", atomically: true, encoding: .utf8)
        let (r, _, text) = try render(["--xsl", dir + "/base/report/custom_new.xsl", "--sandbox", dir, "--db", db,
                                       "--definition", work + "/def.yaml",
                                       "--models", CLI.packageRoot.appendingPathComponent("templates/openerp_stock/models.yaml").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(text.range(of: #"Agrolait\s+1\s+1200\.0"#, options: .regularExpression) != nil, "\(text)")
    }

    // MARK: record chunks

    @Test func chunkedStylesheetGivesTheSamePDF() throws {
        let dir = try CLI.temporaryDirectory()
        let bench = CLI.packageRoot.appendingPathComponent("bench").path
        #expect(try CLI.run("python3", [bench + "/gen_data.py", "300", dir + "/ledger.xml"]).status == 0)
        var outputs: [Data] = []
        for sheet in ["ledger_rml.xsl", "ledger_rml_chunked.xsl"] {
            let r = try CLI.folio(["render", "--xsl", bench + "/" + sheet, "--data", dir + "/ledger.xml", "-o", dir + "/\(sheet).pdf"],
                                  environment: ["SOURCE_DATE_EPOCH": "0"])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(FileManager.default.contents(atPath: dir + "/\(sheet).pdf") ?? Data())
        }
        #expect(!outputs[0].isEmpty && outputs[0] == outputs[1])
    }
}
