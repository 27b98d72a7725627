import Foundation

/// The embedded queue: jobs, their checkpoints and results in a folder, for one process.
///
/// ```
/// DIR/jobs/<id>/spec.json         what to render (written once: it may hold every posted record)
/// DIR/jobs/<id>/job.json          status (small; written to a temporary file, then renamed)
/// DIR/jobs/<id>/items/<n>.pdf     a rendered record (checkpoint)
/// DIR/jobs/<id>/items/<n>.json    its page count, or its error
/// DIR/jobs/<id>/result            the output
/// ```
///
/// A job running when the process stopped is queued again at the next start and resumes after
/// its last checkpoint, so a restart loses nothing.
public final class DiskJobQueue: JobQueue, @unchecked Sendable {
    /// A job's changing part; the spec is kept apart so checkpoints rewrite only this.
    private struct Record: Codable {
        var status: JobStatus
        var worker: String?
    }

    private struct ItemMeta: Codable {
        var pages: Int?
        var error: ItemError?
    }

    private let root: URL
    private let lock = NSLock()

    /// Opens (creating) the queue folder and re-queues jobs that were running.
    public init(directory: String) throws(ServiceError) {
        root = URL(fileURLWithPath: directory).appendingPathComponent("jobs")
        do { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) } catch {
            throw ServiceError(.queue, "cannot create the job folder \(root.path): \(error.localizedDescription)")
        }
        for id in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] {
            if var r = try? read(id), r.status.state == .running {
                r.status.state = .queued
                r.worker = nil
                try? write(r)
            }
        }
    }

    private func folder(_ id: String) -> URL { root.appendingPathComponent(id) }

    private func read(_ id: String) throws -> Record {
        try JSONDecoder.folio.decode(Record.self, from: Data(contentsOf: folder(id).appendingPathComponent("job.json")))
    }

    private func readSpec(_ id: String) throws -> JobSpec {
        try JSONDecoder.folio.decode(JobSpec.self, from: Data(contentsOf: folder(id).appendingPathComponent("spec.json")))
    }

    private func write(_ r: Record) throws {
        try Self.atomicWrite(JSONEncoder.folio.encode(r), to: folder(r.status.id).appendingPathComponent("job.json"))
    }

    static func atomicWrite(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        try data.write(to: tmp)
        if rename(tmp.path, url.path) != 0 { throw ServiceError(.queue, "cannot write \(url.path)") }
    }

    private func locked<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do { return try body() } catch let e as ServiceError { throw e } catch {
            throw ServiceError(.queue, "job store: \(error.localizedDescription)")
        }
    }

    private static func valid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isHexDigit || $0 == "-" }
    }

    public func submit(_ spec: JobSpec) throws(ServiceError) -> JobStatus {
        try locked {
            let id = UUID().uuidString.lowercased()
            let now = Date()
            let status = JobStatus(id: id, state: .queued, report: spec.report, items: spec.itemCount, itemsDone: 0, pagesDone: 0,
                                   errors: [], failure: nil, resultType: nil, created: now, updated: now)
            try FileManager.default.createDirectory(at: folder(id).appendingPathComponent("items"), withIntermediateDirectories: true)
            try Self.atomicWrite(JSONEncoder.folio.encode(spec), to: folder(id).appendingPathComponent("spec.json"))
            try write(Record(status: status, worker: nil))
            return status
        }
    }

    public func status(_ id: String) throws(ServiceError) -> JobStatus? {
        guard Self.valid(id) else { return nil }
        return try locked { try? read(id).status }
    }

    public func result(_ id: String) throws(ServiceError) -> (Data, String)? {
        guard Self.valid(id) else { return nil }
        return try locked {
            guard let r = try? read(id), r.status.state == .succeeded, let type = r.status.resultType else { return nil }
            return (try Data(contentsOf: folder(id).appendingPathComponent("result"), options: .mappedIfSafe), type)
        }
    }

    public func cancel(_ id: String) throws(ServiceError) -> JobStatus? {
        guard Self.valid(id) else { return nil }
        return try locked {
            guard var r = try? read(id) else { return nil }
            if !r.status.state.isFinal {
                r.status.state = .cancelled
                r.status.updated = Date()
                try write(r)
            }
            return r.status
        }
    }

    public func depth() throws(ServiceError) -> Int {
        try locked {
            try FileManager.default.contentsOfDirectory(atPath: root.path).filter { id in
                (try? read(id)).map { !$0.status.state.isFinal } ?? false
            }.count
        }
    }

    public func claim(worker: String) throws(ServiceError) -> ClaimedJob? {
        try locked {
            let records = try FileManager.default.contentsOfDirectory(atPath: root.path).compactMap { try? read($0) }
            guard var next = records.filter({ $0.status.state == .queued }).min(by: { $0.status.created < $1.status.created }) else {
                return nil
            }
            next.status.state = .running
            next.status.updated = Date()
            next.worker = worker
            try write(next)
            let done = Set(try FileManager.default.contentsOfDirectory(atPath: folder(next.status.id).appendingPathComponent("items").path)
                .filter { $0.hasSuffix(".json") }.compactMap { Int($0.dropLast(5)) })
            return ClaimedJob(id: next.status.id, spec: try readSpec(next.status.id), done: done)
        }
    }

    public func heartbeat(_ id: String, worker: String) throws(ServiceError) -> Bool {
        try locked { (try? read(id)).map { $0.status.state == .running && $0.worker == worker } ?? false }
    }

    public func checkpoint(_ id: String, worker: String, item: Int, outcome: ItemOutcome) throws(ServiceError) -> Bool {
        try locked {
            guard var r = try? read(id), r.status.state == .running, r.worker == worker else { return false }
            let items = folder(id).appendingPathComponent("items")
            let meta: ItemMeta
            switch outcome {
            case .rendered(let pdf, let pages):
                try Self.atomicWrite(pdf, to: items.appendingPathComponent("\(item).pdf"))
                meta = ItemMeta(pages: pages)
                r.status.pagesDone += pages
            case .failed(let e):
                meta = ItemMeta(error: e)
                r.status.errors.append(e)
            }
            try Self.atomicWrite(JSONEncoder.folio.encode(meta), to: items.appendingPathComponent("\(item).json"))
            r.status.itemsDone += 1
            r.status.updated = Date()
            try write(r)
            return true
        }
    }

    public func outcomes(_ id: String) throws(ServiceError) -> [Int: ItemOutcome] {
        try locked {
            let items = folder(id).appendingPathComponent("items")
            var out: [Int: ItemOutcome] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: items.path) where name.hasSuffix(".json") {
                guard let n = Int(name.dropLast(5)) else { continue }
                let meta = try JSONDecoder.folio.decode(ItemMeta.self, from: Data(contentsOf: items.appendingPathComponent(name)))
                if let e = meta.error { out[n] = .failed(e) } else {
                    out[n] = .rendered(pdf: try Data(contentsOf: items.appendingPathComponent("\(n).pdf")), pages: meta.pages ?? 0)
                }
            }
            return out
        }
    }

    public func complete(_ id: String, worker: String, result: Data?, type: String?, failure: String?) throws(ServiceError) -> Bool {
        try locked {
            guard var r = try? read(id), r.status.state == .running, r.worker == worker else { return false }
            if let result { try Self.atomicWrite(result, to: folder(id).appendingPathComponent("result")) }
            r.status.state = failure == nil ? .succeeded : .failed
            r.status.failure = failure
            r.status.resultType = failure == nil ? type : nil
            r.status.updated = Date()
            try write(r)
            return true
        }
    }

    public func release(_ id: String, worker: String) throws(ServiceError) {
        try locked {
            guard var r = try? read(id), r.status.state == .running, r.worker == worker else { return }
            r.status.state = .queued
            r.worker = nil
            try write(r)
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates.
    static var folio: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }
}

extension JSONDecoder {
    static var folio: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
