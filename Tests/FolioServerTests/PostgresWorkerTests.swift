import FolioReports
import FolioServer
import Foundation
import PostgresTestSupport
import XCTest

/// Two `folio worker` processes on one PostgreSQL queue; the one running the job is killed with
/// SIGKILL mid-job, and the other takes the job over after its lease runs out and completes it,
/// exactly once.
final class PostgresWorkerTests: XCTestCase {
    static let folio: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("folio").path
    }()

    func startWorker(config: String, log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.folio)
        p.arguments = ["worker", "--config", config, "--log-level", "info"]
        var env = ProcessInfo.processInfo.environment
        env["FOLIO_FONTS"] = TestServer.packageRoot.appendingPathComponent("fonts").path
        p.environment = env
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testKilledWorkersJobIsCompletedOnceByTheOther() async throws {
        let url = try PostgresTestServer.url()
        let dir = NSTemporaryDirectory() + "folio-workers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/folio.yaml"
        try """
            queue: "\(url)"
            templates: "\(TestServer.packageRoot.appendingPathComponent("templates").path)"
            jobs:
              leaseSeconds: 2
              pollSeconds: 0.2
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let queue = try PostgresJobQueue(url: url, leaseSeconds: 2)
        let data = try String(contentsOf: TestServer.packageRoot.appendingPathComponent("templates/openerp_stock/samples/picking.data.xml"), encoding: .utf8)
        let records = 12
        let job = try queue.submit(JobSpec(report: "stock.picking.list", records: Array(repeating: data, count: records), batch: .merged))

        let a = try startWorker(config: config, log: dir + "/a.log")
        let b = try startWorker(config: config, log: dir + "/b.log")
        defer {
            for p in [a, b] where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        let db = try PostgresConnection(url: url)
        func row() throws -> [String: String?] {
            try db.query("SELECT state, worker, items_done, completions, attempts FROM folio_jobs WHERE id = $1", [job.id]).first ?? [:]
        }
        // Wait until one of the workers is part-way through the job (a few records checkpointed).
        var holder: Int32?
        for _ in 0..<6000 {
            let r = try row()
            let done = Int((r["items_done"] ?? nil) ?? "0") ?? 0
            if (r["state"] ?? nil) == "running", done >= 3, let worker = r["worker"] ?? nil {
                holder = Int32(worker.split(separator: ":").dropFirst().first ?? "")
                break
            }
            if (r["state"] ?? nil) != "queued" && (r["state"] ?? nil) != "running" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let seen = try row()
        let victimPID = try XCTUnwrap(holder, "no worker was seen part-way through the job: \(seen)")
        let victim = victimPID == a.processIdentifier ? a : b
        let survivor = victim === a ? b : a
        XCTAssertTrue(victimPID == a.processIdentifier || victimPID == b.processIdentifier)
        kill(victimPID, SIGKILL)
        victim.waitUntilExit()
        let doneAtKill = Int((try row()["items_done"] ?? nil) ?? "0") ?? 0
        XCTAssertLessThan(doneAtKill, records, "the job finished before the kill")

        // The survivor takes the job over once the lease runs out, and finishes it.
        var final: [String: String?] = [:]
        for _ in 0..<6000 {
            final = try row()
            if let s = final["state"] ?? nil, s != "queued" && s != "running" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertEqual(final["state"] ?? nil, "succeeded", "\(final)")
        XCTAssertEqual(final["completions"] ?? nil, "1")
        XCTAssertEqual(final["attempts"] ?? nil, "2")
        let finisher = Int32(((final["worker"] ?? nil) ?? "").split(separator: ":").dropFirst().first ?? "")
        XCTAssertEqual(finisher, survivor.processIdentifier)
        let items = try db.query("SELECT count(*) AS n, count(DISTINCT item) AS d FROM folio_job_items WHERE job_id = $1", [job.id]).first
        XCTAssertEqual(items?["n"] ?? nil, String(records))
        XCTAssertEqual(items?["d"] ?? nil, String(records))

        // Any process sharing the database serves the result.
        let (pdf, type) = try XCTUnwrap(try queue.result(job.id))
        XCTAssertEqual(type, "application/pdf")
        let status = try XCTUnwrap(try queue.status(job.id))
        XCTAssertEqual(try Command.pages(pdf), status.pagesDone)
        XCTAssertEqual(status.itemsDone, records)

        kill(survivor.processIdentifier, SIGTERM)
        survivor.waitUntilExit()
        XCTAssertEqual(survivor.terminationStatus, 0, (try? String(contentsOfFile: dir + "/\(survivor === a ? "a" : "b").log", encoding: .utf8)) ?? "")
    }
}
