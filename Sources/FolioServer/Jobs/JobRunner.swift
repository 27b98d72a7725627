import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Takes jobs from a queue and runs them: each record rendered on the render pool and saved as a
/// checkpoint at once, a failing record listed with its error while the rest go on, then the
/// output assembled (one PDF, records merged, or a ZIP of one PDF per record), stored, and the
/// webhook called.
///
/// While it holds a job it renews the job's lease every `pollSeconds`; when a renewal fails (the
/// job was cancelled, or another worker took it over after this one stalled) it stops working on
/// it. On graceful shutdown it finishes the record under way, gives the job back to the queue and
/// returns.
public final class JobRunner: Service, Sendable {
    let queue: any JobQueue
    let renders: RenderService
    let webhooks: WebhookNotifier
    let worker: String
    let pollSeconds: Double
    let logger: Logger
    private let stopping = Atomic<Bool>(false)

    public init(queue: any JobQueue, renders: RenderService, webhooks: WebhookNotifier, worker: String,
                pollSeconds: Double, logger: Logger) {
        self.queue = queue; self.renders = renders; self.webhooks = webhooks; self.worker = worker
        self.pollSeconds = max(0.05, pollSeconds); self.logger = logger
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    /// Asks the runner to stop after the record under way.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    private func loop() async {
        let queue = self.queue, worker = self.worker
        while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
            do {
                if let job = try await Blocking.run({ () throws(ServiceError) in try queue.claim(worker: worker) }) {
                    await process(job)
                    continue
                }
            } catch {
                logger.error("job queue unavailable", metadata: ["error": .string(error.description)])
            }
            try? await Task.sleep(for: .seconds(pollSeconds))
        }
    }

    func process(_ job: ClaimedJob) async {
        let queue = self.queue, worker = self.worker, id = job.id
        logger.info("job claimed", metadata: ["job": .string(id), "worker": .string(worker), "resumed-after": .stringConvertible(job.done.count)])
        let lost = Atomic<Bool>(false)
        let heartbeat = Task { [pollSeconds] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(pollSeconds))
                if Task.isCancelled { break }
                let held = (try? await Blocking.run({ () throws(ServiceError) in try queue.heartbeat(id, worker: worker) })) ?? true
                if !held { lost.store(true, ordering: .relaxed); break }
            }
        }
        defer { heartbeat.cancel() }
        let renders = self.renders
        for item in 0..<job.spec.itemCount where !job.done.contains(item) {
            if lost.load(ordering: .relaxed) {
                logger.info("job no longer held (cancelled or taken over)", metadata: ["job": .string(id)])
                return
            }
            if stopping.load(ordering: .relaxed) {
                try? await Blocking.run({ () throws(ServiceError) in try queue.release(id, worker: worker) })
                logger.info("job released at shutdown", metadata: ["job": .string(id)])
                return
            }
            let source = job.spec.source(item: item)
            let recordID = job.spec.batch != nil ? job.spec.ids?[item] : nil
            let outcome: ItemOutcome
            do {
                outcome = try await renders.pool.run { () -> ItemOutcome in
                    do throws(ServiceError) {
                        let (pdf, result) = try renders.renderToData(source)
                        return .rendered(pdf: pdf, pages: result.pages)
                    } catch {
                        return .failed(ItemError(item: item, id: recordID, error: error))
                    }
                }
            } catch {
                try? await Blocking.run({ () throws(ServiceError) in try queue.release(id, worker: worker) })
                return
            }
            if case .failed(let e) = outcome { renders.metrics.error(ServiceError.Code(rawValue: e.code) ?? .internal) }
            let saved = (try? await Blocking.run({ () throws(ServiceError) in
                try queue.checkpoint(id, worker: worker, item: item, outcome: outcome)
            })) ?? false
            if !saved { lost.store(true, ordering: .relaxed) }
        }
        if lost.load(ordering: .relaxed) { return }
        await finish(job)
    }

    private func finish(_ job: ClaimedJob) async {
        let queue = self.queue, worker = self.worker, id = job.id, spec = job.spec
        do {
            let completed = try await Blocking.run { () throws(ServiceError) -> Bool in
                let outcomes = try queue.outcomes(id)
                let (result, type, failure) = Self.assemble(spec, outcomes)
                return try queue.complete(id, worker: worker, result: result, type: type, failure: failure)
            }
            guard completed else { return }
            let status = try await Blocking.run { () throws(ServiceError) in try queue.status(id) }
            logger.info("job finished", metadata: ["job": .string(id), "state": .string(status?.state.rawValue ?? "?")])
            if let url = spec.webhook, let status {
                let webhooks = self.webhooks
                Task { await webhooks.notify(url, status: status) }
            }
        } catch {
            logger.error("job could not be finished", metadata: ["job": .string(id), "error": .string(error.description)])
        }
    }

    /// The job's output from its checkpoints: (bytes, media type, failure).
    static func assemble(_ spec: JobSpec, _ outcomes: [Int: ItemOutcome]) -> (Data?, String?, String?) {
        var pdfs: [(Int, Data)] = []
        for item in 0..<spec.itemCount {
            if case .rendered(let pdf, _)? = outcomes[item] { pdfs.append((item, pdf)) }
        }
        guard !pdfs.isEmpty else {
            if spec.itemCount == 1, case .failed(let e)? = outcomes[0] { return (nil, nil, "\(e.code): \(e.message)") }
            return (nil, nil, "every record failed")
        }
        switch spec.batch {
        case nil:
            return (pdfs[0].1, "application/pdf", nil)
        case .merged?:
            do { return (try PDFMerger.merge(pdfs.map(\.1)), "application/pdf", nil) } catch {
                return (nil, nil, "the records' PDFs could not be merged: \(error.description)")
            }
        case .zip?:
            var zip = ZipWriter()
            for (item, pdf) in pdfs { zip.add(name: spec.itemName(item) + ".pdf", data: pdf) }
            return (zip.finish(), "application/zip", nil)
        }
    }
}
