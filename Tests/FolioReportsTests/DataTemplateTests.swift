import Foundation
import PostgresTestSupport
import Testing
import FolioRML
@testable import FolioReports

#if canImport(FoundationXML)
import FoundationXML
typealias FoundationXMLDocument = FoundationXML.XMLDocument
typealias FoundationXMLElement = FoundationXML.XMLElement
#else
typealias FoundationXMLDocument = Foundation.XMLDocument
typealias FoundationXMLElement = Foundation.XMLElement
#endif

/// An element tree with whitespace-only text dropped and text trimmed, for comparing data XML.
struct DataTestTree: Equatable, CustomStringConvertible {
    var name: String
    var text: String
    var attributes: [String: String]
    var children: [DataTestTree]

    init(_ e: FoundationXMLElement) {
        name = e.name ?? ""
        var t = ""
        var kids: [DataTestTree] = []
        for node in e.children ?? [] {
            if let el = node as? FoundationXMLElement { kids.append(DataTestTree(el)) } else if node.kind == .text { t += node.stringValue ?? "" }
        }
        text = t.trimmingCharacters(in: .whitespacesAndNewlines)
        children = kids
        var attrs: [String: String] = [:]
        for a in e.attributes ?? [] { attrs[a.name ?? ""] = a.stringValue ?? "" }
        attributes = attrs
    }

    static func parse(_ data: Data) throws -> DataTestTree {
        let doc = try FoundationXMLDocument(data: data, options: [])
        return DataTestTree(doc.rootElement()!)
    }

    static func parse(file: String) throws -> DataTestTree {
        try parse(Data(contentsOf: URL(fileURLWithPath: file)))
    }

    func child(_ n: String) -> DataTestTree? { children.first { $0.name == n } }
    func all(_ n: String) -> [DataTestTree] { children.filter { $0.name == n } }
    subscript(_ path: String) -> String? {
        var cur: DataTestTree? = self
        for step in path.split(separator: "/") { cur = cur?.child(String(step)) }
        return cur?.text
    }

    /// Names only, for structure comparisons.
    var shape: String { name + (children.isEmpty ? "" : "(" + children.map(\.shape).joined(separator: ",") + ")") }

    var description: String {
        "<\(name)>" + text + children.map(\.description).joined() + "</\(name)>"
    }
}

let dataTestNow = Date(timeIntervalSince1970: 1_258_156_800)  // 2009-11-14 00:00:00 UTC
let dataTestUTC = TimeZone(identifier: "UTC")!

func dataEvaluate(_ template: String, model: String, ids: [Int64], form: [String: String] = [:],
              header: CorporateHeader = .none, source: (any RecordSource)? = nil) throws -> DataDocument {
    let src: any RecordSource = try source ?? PostgresTestServer.records()
    let t = try DataTemplate(string: template, fileName: "test.xml")
    return try DataTemplateEvaluator(source: src).evaluate(
        t, request: DataRequest(model: model, ids: ids, form: form, header: header, now: dataTestNow, timeZone: dataTestUTC))
}

@Suite("Data templates against the sample database")
struct DataTemplateTests {
    @Test func pickingListMatchesTheOpenERPSample() throws {
        let template = try DataTemplate.load(contentsOf: OpenERPMaterial.path("xsl_rml/addons_4.x/stock/report/picking.xml"))
        let doc = try DataTemplateEvaluator(source: PostgresTestServer.records()).evaluate(
            template, request: DataRequest(model: "stock.picking", ids: [12, 15], header: .user(id: 1), now: dataTestNow, timeZone: dataTestUTC))
        let ours = try DataTestTree.parse(doc.xmlData())
        let sample = try DataTestTree.parse(file: OpenERPMaterial.path("samples/stock_picking_4x.data.xml"))
        #expect(ours.shape == sample.shape)
        #expect(ours == sample, "data XML differs from samples/stock_picking_4x.data.xml:\n\(ours)\n---\n\(sample)")
        // The corporate header is the first child of the root.
        #expect(ours.children.first?.name == "corporate-header")
        #expect(ours["corporate-header/user/signature"] == "--\nAdministrator")
        #expect(ours.all("picking").map { $0["header/picking-id"] } == ["12", "15"])
        #expect(ours.all("picking")[1]["header/corporation/name"] == "Les Caves « Élégance » & Fils")
        // Escaping in the serialized text.
        let text = String(decoding: doc.xmlData(), as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<pickinglist><corporate-header>"))
        #expect(text.contains("Les Caves « Élégance » &amp; Fils"))
    }

    @Test func partnerLabelsFromAnISO88591Template() throws {
        let template = try DataTemplate.load(contentsOf: OpenERPMaterial.path("xsl_rml/server_5.0/base/res/partner/report/partner_address.xml"))
        let doc = try DataTemplateEvaluator(source: PostgresTestServer.records()).evaluate(
            template, request: DataRequest(model: "res.partner", ids: [8, 5, 3], header: .user(id: 1), now: dataTestNow, timeZone: dataTestUTC))
        let ours = try DataTestTree.parse(doc.xmlData())
        let sample = try DataTestTree.parse(file: OpenERPMaterial.path("samples/partner_labels_5x.data.xml"))
        // One <address> per partner, by id (3 ASUStek, 5 Müller Büromöbel, 8 Agrolait), each equal to the sample's.
        let names = ours.all("address").map { $0["company-name"] ?? "" }
        #expect(names == ["ASUStek", "Müller Büromöbel", "Agrolait"])
        for address in ours.all("address") {
            let expected = sample.all("address").first { $0["company-name"] == address["company-name"] }
            #expect(address == expected, "\(address)")
        }
        #expect(ours.child("corporate-header")?.shape == sample.child("corporate-header")?.shape)
    }

    @Test func fieldsGroupsRecordsSortedByKey() throws {
        let t = """
            <moves>
              <group type="fields" name="state">
                <state type="field" name="state"/>
                <move type="fields" name="id"><id type="field" name="id"/></move>
              </group>
            </moves>
            """
        let allMoves: [Int64] = [109, 108, 107, 106, 105, 104, 103, 102, 101]
        let doc = try DataTestTree.parse(dataEvaluate(t, model: "stock.move", ids: allMoves).xmlData())
        #expect(doc.all("group").map { $0["state"] } == ["assigned", "confirmed", "done", "draft"])
        #expect(doc.all("group")[0].all("move").map { $0["id"] } == ["101", "102"])
        #expect(doc.all("group")[2].all("move").map { $0["id"] } == ["104", "105", "106", "107", "108"])

        let desc = try DataTestTree.parse(dataEvaluate(t.replacingOccurrences(of: "name=\"state\">", with: "name=\"state\" order=\"desc\">"),
                                            model: "stock.move", ids: allMoves).xmlData())
        #expect(desc.all("group").map { $0["state"] } == ["draft", "done", "confirmed", "assigned"])

        // Several keys: (product, state), numbers (many2one ids) compare numerically.
        let two = """
            <moves><g type="fields" name="product_id,state"><p type="field" name="product_id.code"/><s type="field" name="state"/></g></moves>
            """
        let g = try DataTestTree.parse(dataEvaluate(two, model: "stock.move", ids: allMoves).xmlData())
        #expect(g.all("g").map { "\($0["p"]!)/\($0["s"]!)" } ==
                ["PC1/assigned", "PC1/done", "PC1/draft", "CPU1/assigned", "CPU1/done", "RAM512/confirmed", "RAM512/done", "COF1/done"])

        // name="id": one element per record, by id, whatever the order asked.
        let ids = try DataTestTree.parse(dataEvaluate("<l><p type=\"fields\" name=\"id\"><n type=\"field\" name=\"name\"/></p></l>",
                                           model: "stock.picking", ids: [17, 12, 16, 15]).xmlData())
        #expect(ids.all("p").map { $0["n"] } == ["PACK12", "OUT/00015", "IN/00016", "OUT/00017"])
    }

    @Test func fieldAndZoomSemantics() throws {
        let t = """
            <r><p type="fields" name="id">
              <first-product type="field" name="move_lines.product_id.name"/>
              <partner type="field" name="address_id.partner_id"/>
              <origin type="field" name="origin" default="n/a" class="x"/>
              <address type="zoom" name="address_id"><n type="field" name="name"/></address>
              <line type="zoom" name="move_lines"><q type="field" name="product_qty"/></line>
              <literal>kept <b>as is</b></literal>
            </p></r>
            """
        let doc = try DataTestTree.parse(dataEvaluate(t, model: "stock.picking", ids: [12, 17]).xmlData())
        let (p12, p17) = (doc.all("p")[0], doc.all("p")[1])
        #expect(p12["first-product"] == "Basic PC")
        #expect(p12["partner"] == "Agrolait")
        #expect(p12["origin"] == "SO007")
        #expect(p12.child("origin")?.attributes == ["class": "x"])
        #expect(p12.all("address").count == 1)
        #expect(p12.all("line").map { $0["q"] } == ["2.0", "4.0"])
        #expect(p12["literal"] == "kept" && p12.child("literal")?["b"] == "as is")
        // Picking 17: no address, no moves, no origin.
        #expect(p17["first-product"] == "" && p17["partner"] == "")
        #expect(p17["origin"] == "n/a")
        #expect(p17.all("address").isEmpty && p17.all("line").isEmpty)

        // many2many zoom, in id order.
        let cats = try DataTestTree.parse(dataEvaluate("<r><c type=\"zoom\" name=\"category_id\"><n type=\"field\" name=\"name\"/></c></r>",
                                            model: "res.partner", ids: [8]).xmlData())
        #expect(cats.all("c").map { $0["n"] } == ["Customer", "Prospect"])
    }

    @Test func evalFunctionAndDataNodes() throws {
        let t = """
            <r><p type="fields" name="id">
              <total type="eval" expr="sum(move_lines.product_qty)"/>
              <lines type="eval" expr="len(move_lines)"/>
              <label type="eval" expr="(address_id.partner_id.name or '?') + ' (' + name + ')'"/>
              <double type="eval" expr="round(sum(move_lines.product_qty) * 1.5, 1) if move_lines else 'none'"/>
              <printed type="eval" expr="time.strftime('%d/%m/%Y')"/>
              <date type="eval" expr="format_date(date, '%d %B %Y')"/>
              <today type="function" name="today"/>
              <who type="data" name="user_note"/>
              <missing type="data" name="nothing"/>
            </p></r>
            """
        let injection = "'; DROP TABLE stock_picking; -- </who><evil/>&"
        let doc = try DataTestTree.parse(dataEvaluate(t, model: "stock.picking", ids: [12, 17], form: ["user_note": injection]).xmlData())
        let p = doc.all("p")[0]
        #expect(p["total"] == "6.0")
        #expect(p["lines"] == "2")
        #expect(p["label"] == "Agrolait (PACK12)")
        #expect(p["double"] == "9.0")
        #expect(p["printed"] == "14/11/2009")
        #expect(p["date"] == "14 September 2007")
        #expect(p["today"] == "14/11/2009")
        #expect(p["who"] == injection)
        #expect(p["missing"] == "")
        #expect(doc.all("p")[1]["double"] == "none")
        #expect(doc.all("p")[1]["label"] == "? (OUT/00017)")
        #expect(doc.all("p")[1]["total"] == "0")
        // The form value was inert: the table is still there.
        let rows = try PostgresTestServer.connect().query("SELECT count(*) AS n FROM stock_picking")
        #expect(rows.first?["n"] == "4")
    }

    @Test func callCopiesTheSubtreeOncePerProviderRow() throws {
        let template = try DataTemplate.load(contentsOf: OpenERPMaterial.path("xsl_rml/addons_4.x/stock/report/lot_overview.xml"))
        let doc = try DataTemplateEvaluator(source: PostgresTestServer.records()).evaluate(
            template, request: DataRequest(model: "stock.location", ids: [2, 1], header: .user(id: 1), now: dataTestNow, timeZone: dataTestUTC))
        let tree = try DataTestTree.parse(doc.xmlData())
        #expect(tree.name == "lotlist")
        #expect(tree.children.first?.name == "corporate-header")
        let lots = tree.all("lot")
        #expect(lots.map { $0["id"] } == ["1", "2"])
        let stock = lots[0].all("product")
        #expect(stock.map { $0["name"] } == ["Basic PC", "Café Arabica", "Processor AMD Athlon XP 1800+"])
        #expect(stock.map { $0["amount"] } == ["15.0", "12.5", "50.0"])
        #expect(stock.map { $0["uom"] } == ["PCE", "kg", "PCE"])
        #expect(stock[1]["variants"] == "Moulu" && stock[0]["variants"] == "")
        #expect(stock[0]["price"] == "380.0")
        #expect(stock[0].children.map(\.name) == ["amount", "variants", "name", "uom", "price"])
        #expect(lots[1].all("product").map { $0["name"] } == ["DDR 512MB PC400"])

        // A custom provider with evaluated arguments.
        var providers = DataProviderRegistry()
        providers.register("_lines") { ctx in
            guard case .int(let n)? = ctx.arguments.first else { return [] }
            return (1...n).map { ["n": .int($0), "id": .int(ctx.ids[0])] }
        }
        let t = try DataTemplate(string: "<r><x type=\"call\" name=\"_lines\" args=\"len(move_lines) + 1\"><n value=\"n\"/><i value=\"id\"/></x></r>")
        let out = try DataTemplateEvaluator(source: PostgresTestServer.records(), providers: providers)
            .evaluate(t, request: DataRequest(model: "stock.picking", ids: [12]))
        #expect(try DataTestTree.parse(out.xmlData()).all("x").map { $0["n"] } == ["1", "2", "3"])
    }

    @Test func attachmentGivesAnImageKey() throws {
        let t = "<r><p type=\"fields\" name=\"id\"><logo type=\"attachment\" name=\"id\"/><n type=\"field\" name=\"name\"/></p></r>"
        let doc = try dataEvaluate(t, model: "res.partner", ids: [8, 5])
        let tree = try DataTestTree.parse(doc.xmlData())
        let key = try #require(tree.all("p")[1]["logo"])
        #expect(key == "attachment-res.partner-8")
        #expect(doc.images[key]?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(tree.all("p")[0].child("logo") == nil)
    }

    @Test func corporateHeaderIsTheFirstChildEvenOfAnEmptyRoot() throws {
        for template in ["<empty/>", "<empty></empty>", "<empty attr=\"dropped\"><x/></empty>"] {
            let doc = try dataEvaluate(template, model: "res.partner", ids: [8], header: .user(id: 1))
            let text = String(decoding: doc.xmlData(), as: UTF8.self)
            #expect(text.contains("<empty><corporate-header>"), "\(text)")
            let tree = try DataTestTree.parse(doc.xmlData())
            #expect(tree.children.first?.name == "corporate-header")
            #expect(tree.attributes.isEmpty)
            #expect(tree["corporate-header/corporation/name"] == "Tiny sprl")
            #expect(tree["corporate-header/corporation/address/city"] == "Gérompont")
            #expect(tree["corporate-header/user/name"] == "Administrator")
        }
        let fixed = try dataEvaluate("<r/>", model: "res.partner", ids: [],
                                 header: .fixed(CorporateInfo(name: "ACME <&>", userName: "Zoë")))
        let tree = try DataTestTree.parse(fixed.xmlData())
        #expect(tree["corporate-header/corporation/name"] == "ACME <&>")
        #expect(tree["corporate-header/user/name"] == "Zoë")
        #expect(tree.child("corporate-header")?.shape == "corporate-header(corporation(rml_header1,rml_footer1,rml_footer2,title,name,address(street,zip,city,state,country,phone,email)),user(name,signature))")
    }

    @Test func errorsNameTheTemplatePlace() throws {
        let t = "<r>\n  <p type=\"fields\" name=\"id\">\n    <x type=\"field\" name=\"no_such_field\"/>\n  </p>\n</r>"
        let e = try #require(throws: ReportError.self) { try dataEvaluate(t, model: "stock.picking", ids: [12]) }
        #expect(e.kind == .definition)
        #expect(e.location == SourceLocation(file: "test.xml", line: 3, column: 5))
        #expect(e.message.contains("no_such_field"))

        let unknown = try #require(throws: ReportError.self) {
            try dataEvaluate("<r>\n <a type=\"function\" name=\"os_system\"/></r>", model: "stock.picking", ids: [12])
        }
        #expect(unknown.location?.line == 2 && unknown.location?.column == 2)
        let badType = try #require(throws: ReportError.self) {
            try dataEvaluate("<r><a/><b type=\"python\"/></r>", model: "stock.picking", ids: [12])
        }
        #expect(badType.location?.column == 8 && badType.message.contains("python"))
        let malformed = try #require(throws: ReportError.self) { try DataTemplate(string: "<r>\n<a></b></r>", fileName: "bad.xml") }
        #expect(malformed.location?.file == "bad.xml" && malformed.location?.line == 2)
        let entity = try #require(throws: ReportError.self) {
            try DataTemplate(string: "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>")
        }
        #expect(entity.kind == .definition)
        let missing = try #require(throws: ReportError.self) { try dataEvaluate("<r/>", model: "stock.picking", ids: [12, 999]) }
        #expect(missing.kind == .notFound && missing.message.contains("999"))
        let zoomScalar = try #require(throws: ReportError.self) {
            try dataEvaluate("<r><z type=\"zoom\" name=\"name\"/></r>", model: "stock.picking", ids: [12])
        }
        #expect(zoomScalar.message.contains("not a relational field"))
    }

    @Test func inMemorySourceGivesTheSameData() throws {
        var mem = InMemoryRecordSource(mapping: try PostgresTestServer.mapping())
        mem.insert("res_country", ["id": .int(1), "name": .string("Belgium")])
        mem.insert("res_partner", ["id": .int(8), "name": .string("Agrolait"), "title": .string("SA")])
        mem.insert("res_partner_address", ["id": .int(3), "partner_id": .int(8), "title": .string("Mr."), "name": .string("Luc Maurer"),
                                           "street": .string("Rue des Palais 51"), "zip": .string("1030"), "city": .string("Bruxelles"),
                                           "country_id": .int(1)])
        mem.insert("product_uom", ["id": .int(1), "name": .string("PCE")])
        mem.insert("product_product", ["id": .int(1), "name": .string("Basic PC"), "default_code": .string("PC1"), "uom_id": .int(1)])
        mem.insert("product_product", ["id": .int(2), "name": .string("Processor AMD Athlon XP 1800+"), "default_code": .string("CPU1"), "uom_id": .int(1)])
        mem.insert("stock_location", ["id": .int(1), "name": .string("Stock"), "usage": .string("internal")])
        mem.insert("stock_tracking", ["id": .int(1), "name": .string("LOT-0007"), "serial": .string("SN 4471-A")])
        mem.insert("stock_picking", ["id": .int(12), "name": .string("PACK12"), "date": .string("2007-09-14 10:32:05"),
                                     "address_id": .int(3), "state": .string("assigned")])
        for (id, product, qty, tracking) in [(101, 1, 2.0, DataValue.int(1)), (102, 2, 4.0, .null)] as [(Int64, Int64, Double, DataValue)] {
            mem.insert("stock_move", ["id": .int(id), "picking_id": .int(12), "product_id": .int(product), "product_qty": .double(qty),
                                      "product_uom": .int(1), "location_id": .int(1), "location_dest_id": .int(1),
                                      "tracking_id": tracking, "state": .string("assigned")])
        }
        let template = try DataTemplate.load(contentsOf: OpenERPMaterial.path("xsl_rml/addons_4.x/stock/report/picking.xml"))
        let request = DataRequest(model: "stock.picking", ids: [12], now: dataTestNow, timeZone: dataTestUTC)
        let fromMemory = try DataTestTree.parse(DataTemplateEvaluator(source: mem).evaluate(template, request: request).xmlData())
        let fromDB = try DataTestTree.parse(DataTemplateEvaluator(source: PostgresTestServer.records()).evaluate(template, request: request).xmlData())
        #expect(fromMemory == fromDB)
    }
}
