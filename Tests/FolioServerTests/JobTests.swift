import FolioServer
import Foundation
import Hummingbird
import XCTest

/// Jobs on the embedded queue: batches with a failing record, ZIP output, cancel, webhook,
/// restart.
final class JobTests: XCTestCase {
    static func pickingData() throws -> String {
        try String(contentsOf: TestServer.packageRoot.appendingPathComponent("templates/openerp_stock/samples/picking.data.xml"), encoding: .utf8)
    }

    /// Polls the job until it ends (waiting, not asserting on time).
    static func waitForEnd(_ server: TestServer, _ id: String) async throws -> [String: Any] {
        for _ in 0..<3000 {
            let r = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)")
            if let state = r.json["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return r.json }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("job \(id) never ended")
    }

    func testMergedBatchListsTheFailingRecordAndRendersTheRest() async throws {
        let server = try await TestServer(runJobs: true)
        do {
            let data = try Self.pickingData()
            let single = try await HTTP.request("POST", server.base + "/v1/reports/stock.picking.list/render", json: ["data": data])
            let pagesEach = try Command.pages(single.body)
            let submitted = try await HTTP.request("POST", server.base + "/v1/jobs",
                                                   json: ["report": "stock.picking.list", "records": [data, "<broken", data], "batch": "merged"])
            XCTAssertEqual(submitted.status, 202, submitted.text)
            let id = try XCTUnwrap(submitted.json["id"] as? String)
            XCTAssertEqual(submitted.header("Location"), "/v1/jobs/\(id)")
            let status = try await Self.waitForEnd(server, id)
            XCTAssertEqual(status["state"] as? String, "succeeded", "\(status)")
            XCTAssertEqual(status["itemsDone"] as? Int, 3)
            XCTAssertEqual(status["pagesDone"] as? Int, 2 * pagesEach)
            let errors = status["errors"] as? [[String: Any]] ?? []
            XCTAssertEqual(errors.count, 1)
            XCTAssertEqual(errors.first?["item"] as? Int, 1)
            XCTAssertEqual(errors.first?["code"] as? String, "data-error", "\(errors)")
            let result = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            XCTAssertEqual(result.status, 200)
            XCTAssertEqual(result.header("Content-Type"), "application/pdf")
            XCTAssertEqual(try Command.pages(result.body), 2 * pagesEach)
            let text = try Command.text(result.body)
            XCTAssertFalse(text.isEmpty)
        }
        await server.stop()
    }

    func testZipBatchHasOnePDFPerRecord() async throws {
        let server = try await TestServer(runJobs: true)
        do {
            let data = try Self.pickingData()
            let submitted = try await HTTP.request("POST", server.base + "/v1/jobs",
                                                   json: ["report": "stock.picking.list", "records": [data, data, data], "batch": "zip"])
            let id = try XCTUnwrap(submitted.json["id"] as? String)
            let status = try await Self.waitForEnd(server, id)
            XCTAssertEqual(status["state"] as? String, "succeeded", "\(status)")
            let result = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            XCTAssertEqual(result.header("Content-Type"), "application/zip")
            let path = NSTemporaryDirectory() + "folio-\(UUID().uuidString).zip"
            try result.body.write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor n in z.namelist(): print(n, z.read(n)[:4].decode())"
            let (code, out, err) = try Command.run(["python3", "-c", script, path])
            XCTAssertEqual(code, 0, err)
            XCTAssertEqual(out.split(separator: "\n").count, 3, out)
            XCTAssertTrue(out.split(separator: "\n").allSatisfy { $0.hasSuffix(".pdf %PDF") }, out)
        }
        await server.stop()
    }

    func testCancelAndBadRequests() async throws {
        let server = try await TestServer(runJobs: false)
        do {
            let submitted = try await HTTP.request("POST", server.base + "/v1/jobs", json: ["report": "stock.picking.list"])
            let id = try XCTUnwrap(submitted.json["id"] as? String)
            let running = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            XCTAssertEqual(running.status, 409)
            let cancelled = try await HTTP.request("DELETE", server.base + "/v1/jobs/\(id)")
            XCTAssertEqual(cancelled.status, 200)
            XCTAssertEqual(cancelled.json["state"] as? String, "cancelled")
            let again = try await HTTP.request("DELETE", server.base + "/v1/jobs/\(id)")
            XCTAssertEqual(again.status, 409)
            let result = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            XCTAssertEqual(result.json["code"] as? String, "job-failed")
            let unknown = try await HTTP.request("GET", server.base + "/v1/jobs/0000")
            XCTAssertEqual(unknown.status, 404)
            let badHook = try await HTTP.request("POST", server.base + "/v1/jobs", json: ["report": "x", "webhook": "https://evil.example/"])
            XCTAssertEqual(badHook.status, 403)
            let badScheme = try await HTTP.request("POST", server.base + "/v1/jobs", json: ["report": "x", "webhook": "file:///etc/passwd"])
            XCTAssertEqual(badScheme.status, 400)
            let noRecords = try await HTTP.request("POST", server.base + "/v1/jobs", json: ["report": "x", "batch": "zip"])
            XCTAssertEqual(noRecords.status, 400)
        }
        await server.stop()
    }

    func testQueuedJobSurvivesARestartAndCallsItsWebhook() async throws {
        // A receiver for the webhook; it fails the first call so the retry is exercised.
        let calls = WebhookReceiver()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let n = calls.add(Data(body.readableBytesView))
            return Response(status: n == 1 ? .internalServerError : .ok)
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                   onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) })
        let receiverTask = Task { try await receiver.run() }
        var it = portStream.makeAsyncIterator()
        let nextPort = await it.next()
        let hookPort = try XCTUnwrap(nextPort)

        var config = TestServer.configuration()
        config.webhooks.allowedHosts = ["127.0.0.1"]
        config.webhooks.retryDelaySeconds = 0.05
        let first = try await TestServer(config, runJobs: false)
        let submitted = try await HTTP.request("POST", first.base + "/v1/jobs",
                                               json: ["report": "stock.picking.list", "records": [try Self.pickingData()], "batch": "merged",
                                                      "webhook": "http://127.0.0.1:\(hookPort)/hook"])
        XCTAssertEqual(submitted.status, 202, submitted.text)
        let id = try XCTUnwrap(submitted.json["id"] as? String)
        await first.stop(keepData: true)

        let second = try await TestServer(config, runJobs: true)
        let status = try await Self.waitForEnd(second, id)
        XCTAssertEqual(status["state"] as? String, "succeeded", "\(status)")
        for _ in 0..<3000 where calls.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertEqual(calls.count, 2)
        let posted = try JSONSerialization.jsonObject(with: calls.last) as? [String: Any]
        XCTAssertEqual(posted?["id"] as? String, id)
        XCTAssertEqual(posted?["state"] as? String, "succeeded")
        await second.stop()
        receiverTask.cancel()
    }
}

final class WebhookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [Data] = []
    func add(_ d: Data) -> Int { lock.lock(); defer { lock.unlock() }; bodies.append(d); return bodies.count }
    var count: Int { lock.lock(); defer { lock.unlock() }; return bodies.count }
    var last: Data { lock.lock(); defer { lock.unlock() }; return bodies.last ?? Data() }
}
