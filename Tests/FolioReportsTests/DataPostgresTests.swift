import Foundation
import PostgresTestSupport
import Testing
@testable import FolioReports

@Suite("PostgreSQL connection, mapping and record source")
struct DataPostgresTests {
    @Test func queriesBindParameters() throws {
        let db = try PostgresTestServer.connect()
        let rows = try db.query("SELECT name, title FROM res_partner WHERE id = $1::int", ["12"])
        #expect(rows.count == 1)
        #expect(rows[0]["name"] == "Les Caves « Élégance » & Fils")
        let nulls = try db.query("SELECT title FROM res_partner WHERE id = $1::int", ["3"])
        #expect(nulls[0]["title"] == .some(nil))
        let typed = try db.rows("SELECT 1::int AS i, 2.5::numeric AS n, 'x'::text AS t, NULL::text AS z, $1::text AS p", [nil])
        #expect(typed[0].columns == ["i", "n", "t", "z", "p"])
        #expect(typed[0].types == [23, 1700, 25, 25, 25])
        #expect(typed[0].values == ["1", "2.5", "x", nil, nil])
        #expect(typed[0]["t"] == "x")
    }

    @Test func streamingInSingleRowMode() throws {
        let db = try PostgresTestServer.connect()
        var count = 0
        var sum = 0
        try db.stream("SELECT g FROM generate_series(1, $1::int) g", ["20000"]) { row in
            count += 1
            sum += Int(row.values[0]!)!
        }
        #expect(count == 20000 && sum == 200010000)

        // A throwing body cancels the query; the connection stays usable.
        var seen = 0
        let e = try #require(throws: ReportError.self) {
            try db.stream("SELECT g FROM generate_series(1, 1000000) g") { (row: PostgresRow) throws(ReportError) in
                seen += 1
                if seen == 5 { throw ReportError(.limit, "enough") }
            }
        }
        #expect(e.message == "enough" && seen == 5)
        #expect(try db.query("SELECT 42 AS x").first?["x"] == "42")

        // Server errors mid-stream arrive as errors too.
        let mid = try #require(throws: ReportError.self) {
            try db.stream("SELECT 1 / (g - 3) FROM generate_series(1, 5) g") { _ in }
        }
        #expect(mid.kind == .database && mid.message.contains("division by zero"))
        #expect(try db.query("SELECT 1 AS x").count == 1)
    }

    @Test func errorsCarryTheServerMessage() throws {
        let db = try PostgresTestServer.connect()
        let syntax = try #require(throws: ReportError.self) { try db.query("SELEC 1") }
        #expect(syntax.kind == .database && syntax.message.contains("syntax error") && syntax.message.contains("42601"))
        let table = try #require(throws: ReportError.self) { try db.query("SELECT * FROM no_such_table") }
        #expect(table.message.contains("no_such_table"))
        let type = try #require(throws: ReportError.self) { try db.query("SELECT * FROM res_partner WHERE id = $1::int", ["abc"]) }
        #expect(type.message.contains("invalid input syntax"))
        let nul = try #require(throws: ReportError.self) { try db.query("SELECT $1::text", ["a\u{0}b"]) }
        #expect(nul.kind == .data)
        let url = try PostgresTestServer.url()
        let badPassword = url.replacingOccurrences(of: "folio:", with: "folio:wrong")
        let auth = try #require(throws: ReportError.self) { try PostgresConnection(url: badPassword) }
        #expect(auth.kind == .database && auth.message.contains("password authentication failed"))
        #expect(!auth.message.contains("wrong"))
        let refused = try #require(throws: ReportError.self) { try PostgresConnection(url: "postgresql://folio@127.0.0.1:1/x?connect_timeout=2") }
        #expect(refused.kind == .database)
        #expect(throws: ReportError.self) { try PostgresConnection(url: "not a url ===") }
    }

    @Test func injectionThroughValuesAndIdsIsInert() throws {
        let db = try PostgresTestServer.connect()
        for attack in ["x' OR '1'='1", "'; DROP TABLE res_partner; --", "Agrolait' --", "\\'; SELECT 1; --"] {
            #expect(try db.query("SELECT id FROM res_partner WHERE name = $1", [attack]).isEmpty)
        }
        let ids = try #require(throws: ReportError.self) {
            try db.query("SELECT id FROM res_partner WHERE id = ANY($1::bigint[])", ["{8}) OR (1=1"])
        }
        #expect(ids.message.contains("malformed array literal"))
        #expect(try db.query("SELECT count(*) AS n FROM res_partner").first?["n"] == "9")

        #expect(SQLIdentifier.isValid("stock_picking"))
        for bad in ["stock picking", "x\"; DROP TABLE t; --", "1abc", "", "a-b", "ünï", String(repeating: "a", count: 64)] {
            #expect(!SQLIdentifier.isValid(bad), "\(bad)")
            #expect(throws: ReportError.self) { try SQLIdentifier.quote(bad) }
        }
        #expect(try SQLIdentifier.quoteQualified("public.res_partner") == "\"public\".\"res_partner\"")
    }

    @Test func mappingFileIsValidatedAndDocumented() throws {
        let mapping = try PostgresTestServer.mapping()
        #expect(mapping.models["stock.picking"]?.fields["move_lines"]?.type == .one2many)
        #expect(try mapping.field("id", of: "stock.picking").type == .integer)
        #expect(try mapping.field("code", of: "product.product").column == "default_code")

        let json = #"{"models": {"a.b": {"table": "t", "fields": {"n": "char", "r": {"type": "many2one", "target": "a.b"}}}}}"#
        let decoded = try ModelMapping.decode(Data(json.utf8), fileName: "m.json")
        #expect(decoded.models["a.b"]?.fields["r"]?.target == "a.b")

        let bad: [(String, String)] = [
            (#"{"models": {"a": {"table": "t; DROP TABLE x", "fields": {}}}}"#, "table"),
            (#"{"models": {"a": {"table": "t", "fields": {"n": {"type": "char", "column": "c\"x"}}}}}"#, "column"),
            (#"{"models": {"a": {"table": "t", "fields": {"r": {"type": "many2one", "target": "zz"}}}}}"#, "unknown target"),
            (#"{"models": {"a": {"table": "t", "fields": {"r": {"type": "one2many", "target": "a"}}}}}"#, "inverse"),
            (#"{"models": {"a": {"table": "t", "fields": {"r": {"type": "many2many", "target": "a"}}}}}"#, "linkTable"),
            (#"{"models": {"a": {"table": "t", "fields": {"n": "varchar"}}}}"#, "varchar"),
            (#"{"models": {"a": {"fields": {}}}}"#, "table"),
        ]
        for (text, expected) in bad {
            let e = try #require(throws: ReportError.self) { try ModelMapping.decode(Data(text.utf8), fileName: "m.yaml") }
            #expect(e.kind == .definition && e.message.contains("m.yaml") && e.message.contains(expected), "\(e)")
        }
    }

    @Test func recordSourceReadsInBatches() throws {
        let src = try PostgresTestServer.records()
        #expect(try src.existing("stock.picking", ids: [15, 99, 12, 15]) == [15, 12, 15])
        let rows = try src.read("stock.move", ids: [101, 103], fields: ["product_qty", "product_id", "tracking_id", "state"])
        #expect(rows[101]?["product_qty"] == .double(2))
        #expect(rows[101]?["product_id"] == .record(model: "product.product", id: 1))
        #expect(rows[103]?["tracking_id"] == .null)
        #expect(try src.related("stock.picking", field: "move_lines", ids: [12, 15, 17]) == [12: [101, 102], 15: [103]])
        #expect(try src.related("res.partner.category", field: "partner_ids", ids: [1]) == [1: [7, 8, 9, 12]])
        #expect(try src.values("stock.picking", id: 12, path: "move_lines.product_id.code") == [.string("PC1"), .string("CPU1")])
        #expect(try src.values("stock.picking", id: 17, path: "address_id.name") == [])
        let many = try src.read("res.partner", ids: Array(1...3000), fields: ["name"])
        #expect(many.count == 9)
        let files = try src.attachments("res.partner", id: 8)
        #expect(files.map(\.fileName) == ["logo.png", "notes.txt"])
        #expect(files.map(\.isImage) == [true, false])
    }
}
