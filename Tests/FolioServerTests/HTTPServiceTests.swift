import FolioServer
import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP API against a server started in the test process, through URLSession.
final class HTTPServiceTests: XCTestCase {
    func testPackageReportRendersFromPostedDataAndSample() async throws {
        let server = try await TestServer()
        do {
            let sample = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: [:])
            XCTAssertEqual(sample.status, 200, sample.text)
            XCTAssertEqual(sample.header("Content-Type"), "application/pdf")
            XCTAssertGreaterThan(try Command.pages(sample.body), 0)

            let data = try String(contentsOf: TestServer.packageRoot.appendingPathComponent("templates/openerp_stock/samples/picking.data.xml"), encoding: .utf8)
            let posted = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: ["data": data])
            XCTAssertEqual(posted.status, 200, posted.text)
            XCTAssertTrue(posted.body.starts(with: Data("%PDF".utf8)))

            let rml = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: ["format": "rml"])
            XCTAssertEqual(rml.status, 200)
            XCTAssertTrue(rml.text.contains("<document"), rml.text.prefix(200).description)
        }
        await server.stop()
    }

    func testAdHocRMLAndStylesheet() async throws {
        let server = try await TestServer()
        do {
            let invoice = try Data(contentsOf: TestServer.packageRoot.appendingPathComponent("samples/invoice.rml"))
            let r = try await HTTP.request("POST", server.base + "/v1/render", body: invoice, contentType: "application/xml")
            XCTAssertEqual(r.status, 200, r.text)
            XCTAssertEqual(try Command.pages(r.body), 1)

            let xsl = """
                <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                <xsl:template match="/">
                <document><template><pageTemplate id="main"><frame id="f" x1="2cm" y1="2cm" width="17cm" height="25cm"/></pageTemplate></template>
                <story><xsl:for-each select="//item"><para><xsl:value-of select="name"/></para></xsl:for-each></story></document>
                </xsl:template></xsl:stylesheet>
                """
            let t = try await HTTP.request("POST", server.base + "/v1/transform",
                                           json: ["stylesheet": xsl, "data": ["items": ["item": [["name": "Widget Alpha"], ["name": "Gadget Beta"]]]]])
            XCTAssertEqual(t.status, 200, t.text)
            let text = try Command.text(t.body)
            XCTAssertTrue(text.contains("Widget Alpha") && text.contains("Gadget Beta"), text)
        }
        await server.stop()
    }

    func testErrorsAreProblemDocumentsWithLocations() async throws {
        var config = TestServer.configuration()
        config.limits.maxBodyBytes = 4096
        let server = try await TestServer(config)
        do {
            let bad = try await HTTP.request("POST", server.base + "/v1/render", body: Data("<document>\n  <story><para>x</story>\n</document>".utf8),
                                             contentType: "application/xml")
            XCTAssertEqual(bad.status, 400)
            XCTAssertEqual(bad.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(bad.json["code"] as? String, "document-error")
            let location = bad.json["location"] as? [String: Any]
            XCTAssertEqual(location?["file"] as? String, "posted RML")
            XCTAssertEqual(location?["line"] as? Int, 2)

            let xsl = "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n<xsl:template match=\"/\">\n<xsl:value-of select=\"1 +\"/>\n</xsl:template></xsl:stylesheet>"
            let sheet = try await HTTP.request("POST", server.base + "/v1/transform", json: ["stylesheet": xsl, "data": "<a/>"])
            XCTAssertEqual(sheet.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(sheet.json["code"] as? String, "stylesheet-error", sheet.text)
            XCTAssertNotNil(sheet.json["location"], sheet.text)

            let missing = try await HTTP.request("POST", server.base + "/v1/reports/no.such.report/render", json: [:])
            XCTAssertEqual(missing.status, 404)
            XCTAssertEqual(missing.json["code"] as? String, "report-not-found")

            let big = try await HTTP.request("POST", server.base + "/v1/render", body: Data(repeating: 0x20, count: 10_000), contentType: "application/xml")
            XCTAssertEqual(big.status, 413)
            XCTAssertEqual(big.json["code"] as? String, "body-too-large")

            let notJSON = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", body: Data("{".utf8),
                                                 contentType: "application/json")
            XCTAssertEqual(notJSON.status, 400)
            let badIDs = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: ["ids": ["x"]])
            XCTAssertEqual(badIDs.status, 400)
        }
        await server.stop()
    }

    func testListHealthMetricsAndTokens() async throws {
        var config = TestServer.configuration()
        config.auth.tokens = ["s3cret"]
        config.auth.required = true
        let server = try await TestServer(config)
        do {
            let health = try await HTTP.request("GET", server.base + "/healthz")
            XCTAssertEqual(health.status, 200)
            let denied = try await HTTP.request("GET", server.base + "/v1/reports")
            XCTAssertEqual(denied.status, 401)
            XCTAssertEqual(denied.header("Content-Type"), "application/problem+json")
            let wrong = try await HTTP.request("GET", server.base + "/v1/reports", token: "nope")
            XCTAssertEqual(wrong.status, 401)
            let list = try await HTTP.request("GET", server.base + "/v1/reports", token: "s3cret")
            XCTAssertEqual(list.status, 200)
            let names = ((list.json["packages"] as? [[String: Any]]) ?? []).flatMap { ($0["reports"] as? [[String: Any]]) ?? [] }.compactMap { $0["name"] as? String }
            XCTAssertTrue(names.contains("stock.picking.list"), "\(names)")

            let r = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: [:], token: "s3cret")
            XCTAssertEqual(r.status, 200)
            let metrics = try await HTTP.request("GET", server.base + "/metrics", token: "s3cret")
            XCTAssertEqual(metrics.status, 200)
            for name in ["folio_renders_total{report=\"stock.picking.list\",outcome=\"ok\"} 1", "folio_pages_total", "folio_bytes_total",
                         "folio_stage_duration_seconds_bucket", "folio_render_queue_depth", "folio_errors_total{code=\"unauthorized\"} 2",
                         "folio_job_queue_depth"] {
                XCTAssertTrue(metrics.text.contains(name), "missing \(name) in\n\(metrics.text)")
            }
        }
        await server.stop()
    }

    func testConfigurationRequiresTokensBeyondLoopback() throws {
        var c = ServerConfiguration()
        c.host = "0.0.0.0"
        XCTAssertThrowsError(try c.validate())
        c.auth.tokens = ["t"]
        XCTAssertNoThrow(try c.validate())
        XCTAssertThrowsError(try ServerConfiguration.parse(yaml: "limits:\n  maxPagez: 3\n")) { error in
            XCTAssertTrue("\(error)".contains("limits.maxPagez"), "\(error)")
        }
        let parsed = try ServerConfiguration.parse(yaml: "port: 9000\nlimits:\n  maxPages: 3\nwebhooks:\n  allowedHosts: [hooks.example.com]\n")
        XCTAssertEqual(parsed.port, 9000)
        XCTAssertEqual(parsed.limits.maxPages, 3)
        XCTAssertEqual(parsed.limits.queuedRenders, 32)
        XCTAssertEqual(parsed.webhooks.allowedHosts, ["hooks.example.com"])
    }

    func testPageLimitStopsARender() async throws {
        var config = TestServer.configuration()
        config.limits.maxPages = 2
        let server = try await TestServer(config)
        do {
            let ledger = try Data(contentsOf: TestServer.packageRoot.appendingPathComponent("samples/ledger.rml"))
            // The ledger has more than two pages: the render stops at the third. Either the error
            // comes before any byte (problem+json) or the stream is cut; never a complete PDF.
            let r = try? await HTTP.request("POST", server.base + "/v1/render", body: ledger, contentType: "application/xml")
            if let r, r.status == 200 {
                XCTAssertFalse(String(decoding: r.body.suffix(16), as: UTF8.self).contains("%%EOF"))
            } else if let r {
                XCTAssertEqual(r.json["code"] as? String, "limit-exceeded")
            }
            let metrics = try await HTTP.request("GET", server.base + "/metrics")
            XCTAssertTrue(metrics.text.contains("folio_renders_total{report=\"adhoc-rml\",outcome=\"error\"} 1"), metrics.text)
        }
        await server.stop()
    }
}
