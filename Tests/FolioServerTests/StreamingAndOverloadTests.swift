import FolioServer
import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streaming order of events and overload, with renders held at a gate so nothing depends on
/// timing.
final class StreamingAndOverloadTests: XCTestCase {
    /// The render is held right after its first bytes left; the client must receive them while it
    /// is held. Only then is the render let go, so "first chunk received" must come before "render
    /// finished" — which fails if the server buffered the PDF until the end.
    func testFirstChunkArrivesBeforeTheRenderFinishes() async throws {
        let gate = GatedObserver()
        let server = try await TestServer(observer: gate)
        let ledger = try Data(contentsOf: TestServer.packageRoot.appendingPathComponent("samples/ledger.rml"))
        let client = StreamingClient(onFirstChunk: {
            gate.record("first-chunk-received")
            gate.release()
        })
        let (status, body) = try await client.post(server.base + "/v1/render", body: ledger, contentType: "application/xml")
        gate.release()
        XCTAssertEqual(status, 200)
        XCTAssertGreaterThan(try Command.pages(body), 1)
        let events = gate.snapshot()
        let received = events.firstIndex(of: "first-chunk-received")
        let finished = events.firstIndex(of: "render-finished")
        XCTAssertNotNil(received, "\(events)")
        XCTAssertNotNil(finished, "\(events)")
        if let received, let finished { XCTAssertLessThan(received, finished, "\(events)") }
        await server.stop()
    }

    /// One render slot and one waiting place: with both taken, further requests get 429 with
    /// Retry-After, and the held renders still complete once let go.
    func testOverloadIsAnsweredWith429() async throws {
        var config = TestServer.configuration()
        config.limits.concurrentRenders = 1
        config.limits.queuedRenders = 1
        config.limits.retryAfterSeconds = 7
        let gate = GatedObserver()
        let server = try await TestServer(config, observer: gate)
        let invoice = try Data(contentsOf: TestServer.packageRoot.appendingPathComponent("samples/invoice.rml"))
        let url = server.base + "/v1/render"
        let first = Task { try await HTTP.request("POST", url, body: invoice, contentType: "application/xml") }
        XCTAssertTrue(gate.waitForHeld(1), "the first render never started")
        let second = Task { try await HTTP.request("POST", url, body: invoice, contentType: "application/xml") }
        // Wait (not a timed assertion) until the second render waits for the slot.
        var waited = 0
        while server.service.renders.pool.queueDepth < 1 && waited < 3000 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        XCTAssertEqual(server.service.renders.pool.queueDepth, 1)
        var rejected = 0
        try await withThrowingTaskGroup(of: HTTP.Reply.self) { group in
            for _ in 0..<8 { group.addTask { try await HTTP.request("POST", url, body: invoice, contentType: "application/xml") } }
            for try await reply in group {
                XCTAssertEqual(reply.status, 429)
                XCTAssertEqual(reply.header("Retry-After"), "7")
                XCTAssertEqual(reply.json["code"] as? String, "busy")
                rejected += 1
            }
        }
        XCTAssertEqual(rejected, 8)
        gate.release()
        let a = try await first.value, b = try await second.value
        XCTAssertEqual(a.status, 200)
        XCTAssertEqual(b.status, 200)
        XCTAssertEqual(try Command.pages(a.body), 1)
        let health = try await HTTP.request("GET", server.base + "/healthz")
        XCTAssertEqual(health.status, 200)
        await server.stop()
    }
}

/// A URLSession client that reports the first body chunk as it arrives.
final class StreamingClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let onFirstChunk: @Sendable () -> Void
    private var body = Data()
    private var status = 0
    private var continuation: CheckedContinuation<(Int, Data), any Error>?
    private let lock = NSLock()

    init(onFirstChunk: @escaping @Sendable () -> Void) { self.onFirstChunk = onFirstChunk }

    func post(_ url: String, body: Data, contentType: String) async throws -> (Int, Data) {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = "POST"
        r.httpBody = body
        r.setValue(contentType, forHTTPHeaderField: "Content-Type")
        r.timeoutInterval = 300
        let session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { c in
            lock.lock(); continuation = c; lock.unlock()
            session.dataTask(with: r).resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock(); status = (response as? HTTPURLResponse)?.statusCode ?? 0; lock.unlock()
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        let first = body.isEmpty
        body.append(data)
        lock.unlock()
        if first { onFirstChunk() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        let c = continuation
        continuation = nil
        let result = (status, body)
        lock.unlock()
        if let error { c?.resume(throwing: error) } else { c?.resume(returning: result) }
    }
}
