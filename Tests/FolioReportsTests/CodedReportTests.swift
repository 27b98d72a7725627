import Foundation
import FolioRML
import Testing
@testable import FolioReports

struct EchoReport: CodedReport {
    let name: String
    func render(_ request: CodedReportRequest) throws(ReportError) -> CodedReportOutput {
        .data(Data("<echo>\(RMLText.escape(request.parameters["text"] ?? ""))</echo>".utf8), stylesheet: "report/echo.xsl")
    }
}

@Suite struct CodedReportTests {
    func rml(_ output: CodedReportOutput) throws -> String {
        guard case .rml(let data) = output else { throw ReportError(.data, "expected RML") }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func registry() throws {
        let r = CodedReportRegistry()
        #expect(r.names.isEmpty)
        try r.register(EchoReport(name: "report.echo"))
        #expect(r.names == ["report.echo"])
        #expect(r.report(named: "report.echo") != nil)
        #expect(throws: ReportError.self) { try r.register(EchoReport(name: "report.echo")) }
        try r.register(EchoReport(name: "report.echo"), replacing: true)
        #expect(throws: ReportError.self) { try r.register(EchoReport(name: "bad name")) }
        let out = try r.render(CodedReportRequest(reportName: "report.echo", parameters: ["text": "a<b"]))
        #expect(out == .data(Data("<echo>a&lt;b</echo>".utf8), stylesheet: "report/echo.xsl"))
        do {
            _ = try r.render(CodedReportRequest(reportName: "report.none"))
            Issue.record("rendered an unknown report")
        } catch {
            #expect(error.kind == .notFound)
        }
        #expect(r.unregister("report.echo"))
        #expect(!r.unregister("report.echo"))
        #expect(CodedReportRegistry.shared.names.contains("report.folio.pricelist"))
    }

    @Test func registryIsThreadSafe() {
        let r = CodedReportRegistry()
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            try? r.register(EchoReport(name: "report.n\(i % 50)"))
            _ = r.report(named: "report.n\(i % 7)")
            _ = r.names
        }
        #expect(r.names.count == 50)
    }

    static let items = """
    {"items": [
      {"code": "LMP-07", "name": "Floor lamp Héron", "price": 349, "category": "Lamps", "unit": "Unit"},
      {"code": "LMP-01", "name": "Pendant lamp <Orbe> & co", "price": "189.5", "category": "Lamps", "unit": "Unit"},
      {"code": "CBL-10", "name": "Textile cable", "price": 4.2, "category": "Cables", "unit": "m"},
      {"name": "Gift card", "price": 50}
    ]}
    """

    @Test func priceListFromPayload() throws {
        let req = CodedReportRequest(reportName: "report.folio.pricelist", parameters: ["company": "Atelier Lumen", "discount": "10", "valid_from": "2025-04-01"],
                                     payload: Data(Self.items.utf8))
        let text = try rml(CodedReportRegistry.shared.render(req))
        let doc = try Fixtures.parseStrict(text, file: "pricelist.rml")
        let table = try #require(doc.story?.first("blockTable"))
        #expect(table["repeatRows"] == "1")
        let rows = table.elements(named: "tr").map { $0.elements(named: "td").map { $0.text } }
        #expect(rows[0] == ["Code", "Product", "Unit", "Price", "Net"])
        // Categories sorted, "Other" last; items by name within a category.
        #expect(rows.map { $0[0] } == ["Code", "Cables", "CBL-10", "Lamps", "LMP-07", "LMP-01", "Other", ""])
        #expect(rows[2] == ["CBL-10", "Textile cable", "m", "4.20", "3.78"])
        #expect(rows[5] == ["LMP-01", "Pendant lamp <Orbe> & co", "Unit", "189.50", "170.55"])
        #expect(rows[7][1] == "Gift card")
        #expect(doc.story?.first("para")?.text == "Price list")
        #expect(Fixtures.all("blockSpan", in: doc.stylesheet!).count == 3)
        #expect(Fixtures.all("pageCount", in: doc.template!).count == 1)
        #expect(text.contains("Pendant lamp &lt;Orbe&gt; &amp; co"))
        // Deterministic.
        #expect(try rml(CodedReportRegistry.shared.render(req)) == text)
    }

    @Test func priceListFromParameters() throws {
        let req = CodedReportRequest(reportName: "report.folio.pricelist",
                                     parameters: ["items": "A1;Lamp;12.5;Lamps\nB2;Bulb;3;;pcs\n", "format": "A5", "orientation": "landscape", "title": "Tarif 2025", "currency": "CHF"])
        let doc = try Fixtures.parseStrict(try rml(PriceListReport().render(req)))
        #expect(doc.template?["pagesize"] == "(595.28,419.53)")
        let rows = doc.story!.first("blockTable")!.elements(named: "tr").map { $0.elements(named: "td").map(\.text) }
        #expect(rows[0] == ["Code", "Product", "Unit", "Price"])
        #expect(rows.count == 5)
        #expect(rows[4] == ["B2", "Bulb", "pcs", "3.00"])
        #expect(doc.story?.first("para")?.text == "Tarif 2025")
    }

    @Test func priceListErrors() {
        func message(_ params: [String: String], _ payload: String? = nil) -> String? {
            do {
                _ = try PriceListReport().render(CodedReportRequest(reportName: "report.folio.pricelist", parameters: params, payload: payload.map { Data($0.utf8) }))
                return nil
            } catch { return error.message }
        }
        #expect(message([:])?.contains("no items") == true)
        #expect(message(["items": "A;Lamp;cheap"])?.contains("'cheap' is not a price") == true)
        #expect(message(["items": "A;Lamp"])?.contains("line 1") == true)
        #expect(message(["items": "A;Lamp;1", "discount": "150"])?.contains("between 0 and 100") == true)
        #expect(message([:], "{\"items\": [{\"name\": \"x\"}]}")?.contains("price") == true)
        #expect(message([:], "not json")?.contains("payload") == true)
    }

    @Test func builderEscapesEverything() throws {
        var doc = RMLDocumentBuilder(title: "T & \"quotes\"", pageSize: .a4.landscape)
        doc.paraStyle(RMLParaStyle("body", fontName: "Helvetica", fontSize: 10, alignment: .justify))
        doc.tableStyle(RMLTableStyle("grid", [.line(.grid, color: "#000000"), .font(name: "Helvetica-Bold", size: 9, start: .first, stop: RMLCellRef(-1, 0)),
                                              .rowBackgrounds(["#ffffff", "#eeeeee"]), .padding(top: 2, bottom: 2, left: nil, right: nil)]))
        doc.pageGraphics = [.setFont("Helvetica", 8), .string("<header>", x: 30, y: 570), .pageXofY(x: 800, y: 20, format: "p. {page}/{count} & more")]
        doc.para("a < b & c > d \u{0}\u{7}end", style: "body")
        doc.spacer(12)
        doc.table([["h1", "h2"], [RMLCell("x & y", style: "body"), .empty]], colWidths: [100, 200.555], style: "grid", repeatRows: 1)
        doc.pageBreak()
        doc.append(.illustration(width: 100, height: 50, rml: "<rect x=\"0\" y=\"0\" width=\"10\" height=\"10\"/>"))
        let parsed = try Fixtures.parseStrict(doc.xml())
        #expect(parsed.root["title"] == "T & \"quotes\"")
        #expect(parsed.template?["pagesize"] == "(841.89,595.28)")
        #expect(parsed.story?.first("para")?.text == "a < b & c > d end")
        #expect(parsed.story?.first("blockTable")?["colWidths"] == "100,200.56")
        let graphics = parsed.template!.first("pageTemplate")!.first("pageGraphics")!
        #expect(graphics.first("drawString")?.text == "<header>")
        #expect(Fixtures.all("pageNumber", in: graphics).count == 1)
        #expect(graphics.first("drawRightString")?.text.hasSuffix("& more") == true)
        #expect(parsed.stylesheet?.first("blockTableStyle")?.elements.count == 5)
    }
}
