import FolioPipeline
import Foundation
import Hummingbird
import Logging

/// `folio watch`: renders a target, serves the preview page on loopback, and renders again
/// whenever a file it depends on changes, pushing each result to the open pages as server-sent
/// events.
public final class PreviewServer: Sendable {
    public let renderer: PreviewRenderer
    public let watcher: FileWatcher
    public let state: PreviewState
    /// Seconds between two looks at the watched files.
    public let pollInterval: Double
    let logger: Logger

    public init(renderer: PreviewRenderer, watcher: FileWatcher, pollInterval: Double = 0.25, logger: Logger) {
        self.renderer = renderer
        self.watcher = watcher
        self.state = PreviewState(title: renderer.target.label)
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// The routes: `/` (the page), `/events` (snapshots as server-sent events), `/state` (the
    /// current snapshot as JSON), `/pages/N.png`, `/diff/N.png`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let state = self.state
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: PreviewPage.html)))
        }
        router.get("/state") { _, _ in
            let data = (try? JSONEncoder().encode(await state.current())) ?? Data()
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/events") { _, _ in
            let stream = await state.subscribe()
            return Response(status: .ok,
                            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                            body: ResponseBody { writer in
                                for await snapshot in stream {
                                    let json = (try? JSONEncoder().encode(snapshot)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                                    try await writer.write(ByteBuffer(string: "data: \(json)\n\n"))
                                }
                                try await writer.finish(nil)
                            })
        }
        router.get("/pages/:file") { _, context in
            try await Self.image(context, state: state, highlight: false)
        }
        router.get("/diff/:file") { _, context in
            try await Self.image(context, state: state, highlight: true)
        }
        return router
    }

    static func image(_ context: BasicRequestContext, state: PreviewState, highlight: Bool) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".png"), let n = Int(file.dropLast(4)),
              let png = highlight ? await state.highlight(n) : await state.page(n) else {
            throw HTTPError(.notFound)
        }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// Renders once, then watches and re-renders until cancelled. Renders run on their own thread,
    /// one at a time; changes during a render are picked up right after it.
    public func watchLoop() async {
        var stamps = watcher.snapshot()
        await renderAndPublish(trigger: [])
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            let watcher = self.watcher
            let now = await Self.offLoop { watcher.snapshot() }
            let changed = FileWatcher.changes(from: stamps, to: now)
            guard !changed.isEmpty else { continue }
            // Let an editor finish writing (several files saved at once, write-then-rename).
            try? await Task.sleep(nanoseconds: 80_000_000)
            stamps = await Self.offLoop { watcher.snapshot() }
            logger.info("changed: \(changed.joined(separator: ", "))")
            await renderAndPublish(trigger: changed)
        }
        await state.finishAll()
    }

    func renderAndPublish(trigger: [String]) async {
        let renderer = self.renderer
        let outcome = await Self.offLoop { renderer.render() }
        if let p = outcome.problem {
            logger.warning("\(p.file.map { "\($0):\(p.line ?? 0):\(p.column ?? 0): " } ?? "")\(p.message)")
        } else {
            logger.info("rendered \(outcome.pages.count) page(s) in \(outcome.milliseconds) ms")
        }
        await state.publish(outcome, trigger: trigger)
    }

    private static let renderQueue = DispatchQueue(label: "folio.watch.render")

    static func offLoop<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in renderQueue.async { c.resume(returning: work()) } }
    }

    /// Serves on `host:port` (port 0: any free port) and watches until cancelled; `onRunning` gets
    /// the bound port.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(router: router(),
                              configuration: .init(address: .hostname(host, port: port), serverName: "Folio watch"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                              logger: logger)
        // On SIGTERM/SIGINT the server drains its connections; the pages' event streams never end
        // by themselves, so end them (the preview pages then stop listening).
        let state = self.state
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { Task { await state.finishAll() } }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchLoop() }
            group.addTask { try await app.runService() }
            try await group.next()
            group.cancelAll()
        }
    }
}
