import FolioServer
import Foundation
import PostgresTestSupport
import XCTest

/// OpenERP's print protocol through Python's own `xmlrpc.client`, unchanged.
final class XMLRPCTests: XCTestCase {
    static let client = """
        import base64, sys, time, xmlrpc.client, zlib
        url, mode = sys.argv[1], sys.argv[2]
        proxy = xmlrpc.client.ServerProxy(url + '/xmlrpc/report')
        db, uid, pw = 'folio_sample', 1, 'admin'

        def wait(report_id):
            for _ in range(600):
                res = proxy.report_get(db, uid, pw, report_id)
                if res['state']:
                    return res
                time.sleep(0.2)
            raise SystemExit('report never finished')

        def pdf(res):
            data = base64.b64decode(res['result'])
            if res.get('code') == 'zlib':
                data = zlib.decompress(data)
            return data

        def fault(call):
            try:
                call()
            except xmlrpc.client.Fault as f:
                return f.faultCode
            return None

        if mode == 'print':
            rid = proxy.report(db, uid, pw, 'stock.picking.list', [12, 15], {'model': 'stock.picking', 'id': 12, 'report_type': 'pdf'}, {})
            res = wait(rid)
            assert res['format'] == 'pdf', res
            lines = res['result'].split('\\n')
            assert all(len(l) <= 76 for l in lines), 'base64 lines longer than 76'
            assert res['result'].endswith('\\n')
            data = pdf(res)
            assert data.startswith(b'%PDF'), data[:20]
            open(sys.argv[3], 'wb').write(data)
            print('code', res.get('code', 'none'))
            # Deleted on first fetch.
            print('refetch', fault(lambda: proxy.report_get(db, uid, pw, rid)))
            # Another user's report; wrong password; unknown id.
            rid2 = proxy.report(db, uid, pw, 'stock.picking.list', [12], {'model': 'stock.picking'}, {})
            print('other-user', fault(lambda: proxy.report_get(db, 2, 'demo', rid2)))
            print('bad-password', fault(lambda: proxy.report(db, uid, 'wrong', 'stock.picking.list', [12], {}, {})))
            print('unknown', fault(lambda: proxy.report_get(db, uid, pw, 987654)))
            wait(rid2)
            # A failed render comes back as a fault from report_get.
            rid3 = proxy.report(db, uid, pw, 'no.such.report', [1], {}, {})
            def poll_failed():
                for _ in range(600):
                    if proxy.report_get(db, uid, pw, rid3)['state']:
                        return
                    time.sleep(0.2)
            print('failed', fault(poll_failed))
            # render_report (6.1+): synchronous; raw = the data XML.
            res = proxy.render_report(db, uid, pw, 'stock.picking.list', [15], {'report_type': 'raw'}, {})
            raw = pdf(res)
            assert res['state'] and raw.lstrip().startswith(b'<'), raw[:40]
            print('raw', res['format'])
        """

    func runClient(zlib: Bool) async throws -> (String, Data) {
        var config = TestServer.configuration()
        config.database = try PostgresTestServer.url()
        config.xmlrpc.credentials = [.init(database: "folio_sample", uid: 1, password: "admin"),
                                     .init(database: "folio_sample", uid: 2, password: "demo")]
        config.xmlrpc.zlib = zlib
        let server = try await TestServer(config)
        let out = NSTemporaryDirectory() + "folio-xmlrpc-\(UUID().uuidString).pdf"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let base = server.base
        let script = Self.client
        let result = try await Task.detached { () throws -> [String] in
            let (s, o, e) = try Command.run(["python3", "-c", script, base, "print", out])
            return [String(s), o, e]
        }.value
        let status = Int32(result[0]) ?? -1, stdout = result[1], stderr = result[2]
        await server.stop()
        XCTAssertEqual(status, 0, stderr)
        return (stdout, (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data())
    }

    func testPrintThroughReportAndReportGet() async throws {
        let (stdout, pdf) = try await runClient(zlib: false)
        XCTAssertTrue(stdout.contains("code none"), stdout)
        XCTAssertTrue(stdout.contains("refetch ReportNotFound"), stdout)
        XCTAssertTrue(stdout.contains("other-user AccessDenied"), stdout)
        XCTAssertTrue(stdout.contains("bad-password AccessDenied"), stdout)
        XCTAssertTrue(stdout.contains("unknown ReportNotFound"), stdout)
        XCTAssertTrue(stdout.contains("failed report-not-found"), stdout)
        XCTAssertTrue(stdout.contains("raw raw"), stdout)
        XCTAssertGreaterThan(try Command.pages(pdf), 0)
        let text = try Command.text(pdf)
        XCTAssertFalse(text.isEmpty)
    }

    func testZlibCompressedResults() async throws {
        let (stdout, pdf) = try await runClient(zlib: true)
        XCTAssertTrue(stdout.contains("code zlib"), stdout)
        XCTAssertTrue(pdf.starts(with: Data("%PDF".utf8)))
    }
}
