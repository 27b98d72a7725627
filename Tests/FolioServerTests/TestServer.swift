import FolioPipeline
import FolioServer
import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A Folio service started in the test process on a free loopback port.
final class TestServer: @unchecked Sendable {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let service: FolioService
    let port: Int
    private let task: Task<Void, any Error>
    let dataDirectory: String

    var base: String { "http://127.0.0.1:\(port)" }

    /// A configuration for tests: loopback, the repository's templates, a fresh data folder.
    static func configuration() -> ServerConfiguration {
        var c = ServerConfiguration()
        c.host = "127.0.0.1"
        c.port = 0
        c.templates = packageRoot.appendingPathComponent("templates").path
        c.dataDirectory = NSTemporaryDirectory() + "folio-server-test-" + UUID().uuidString
        c.jobs.pollSeconds = 0.1
        return c
    }

    init(_ configuration: ServerConfiguration = TestServer.configuration(), observer: (any RenderObserver)? = nil,
         runJobs: Bool = false) async throws {
        var settings = RenderSettings(fontsDirectory: Self.packageRoot.appendingPathComponent("fonts").path)
        settings.creationDate = "2024-01-01T00:00:00Z"
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let service = try FolioService(configuration: configuration, settings: settings, observer: observer, logger: logger)
        self.service = service
        self.dataDirectory = configuration.dataDirectory
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = service.application { port in continuation.yield(port) }
        let runner = runJobs ? service.jobRunner() : nil
        task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                if let runner { group.addTask { try await runner.run() } }
                try await group.next()
                group.cancelAll()
            }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        self.port = port
    }

    func stop(keepData: Bool = false) async {
        task.cancel()
        _ = try? await task.value
        if !keepData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A plain HTTP client (URLSession).
enum HTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 300
        c.timeoutIntervalForResource = 600
        return URLSession(configuration: c)
    }()

    static func request(_ method: String, _ url: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil,
                        token: String? = nil) async throws -> Reply {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        if let json {
            r.httpBody = try JSONSerialization.data(withJSONObject: json)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            r.httpBody = body
            r.setValue(contentType ?? "application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: r)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }
}

/// Runs a command, returning its status and output.
enum Command {
    @discardableResult
    static func run(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { box.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: box.data, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Pages of a PDF, by pdfinfo.
    static func pages(_ pdf: Data) throws -> Int {
        let path = NSTemporaryDirectory() + "folio-test-\(UUID().uuidString).pdf"
        try pdf.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, out, err) = try run(["pdfinfo", path])
        guard status == 0 else { throw TestFailure("pdfinfo failed: \(err)") }
        let line = out.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Text of a PDF, by pdftotext.
    static func text(_ pdf: Data) throws -> String {
        let path = NSTemporaryDirectory() + "folio-test-\(UUID().uuidString).pdf"
        try pdf.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try run(["pdftotext", "-layout", path, "-"]).1
    }
}

/// A render observer that can hold renders at their first write until released, and records the
/// order of events.
final class GatedObserver: RenderObserver, @unchecked Sendable {
    private let condition = NSCondition()
    private var open = false
    private(set) var events: [String] = []
    private var writes = 0
    private var holding = 0

    func renderWrote(bytes: Int, report: String) {
        condition.lock()
        writes += 1
        if writes == 1 { events.append("first-write") }
        holding += 1
        condition.broadcast()
        while !open { if !condition.wait(until: Date().addingTimeInterval(120)) { break } }
        holding -= 1
        condition.unlock()
    }

    func renderEnded(report: String, error: ServiceError?) {
        record(error == nil ? "render-finished" : "render-failed")
    }

    func record(_ event: String) {
        condition.lock()
        events.append(event)
        condition.broadcast()
        condition.unlock()
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `n` renders are held at a write.
    func waitForHeld(_ n: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(300)
        while holding < n { if !condition.wait(until: deadline) { return false } }
        return true
    }

    func snapshot() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        return events
    }
}
