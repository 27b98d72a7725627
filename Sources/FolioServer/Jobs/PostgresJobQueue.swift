import FolioReports
import Foundation

/// The shared queue: jobs, checkpoints and results in PostgreSQL, for any number of `folio serve`
/// and `folio worker` processes on any machines.
///
/// - Workers claim the oldest queued job with `FOR UPDATE SKIP LOCKED` (two workers never claim
///   the same job) and hold a lease (`lease_until`) they renew with a heartbeat. A job whose lease
///   ran out (its worker died or hung) is claimable again and resumes after its last checkpoint.
/// - Checkpoints and completion only take effect while the worker still holds the job
///   (`worker = me AND state = 'running'`), so a worker that lost its lease cannot complete a job
///   its successor is running: a job completes exactly once.
/// - Results (and checkpoints) are stored in the database, not on a worker's disk, because the
///   `folio serve` that answers `GET /v1/jobs/{id}/result` is usually not the process that
///   rendered the job, and may be on another machine.
public final class PostgresJobQueue: JobQueue, @unchecked Sendable {
    private let url: String
    private let leaseSeconds: Double
    private let lock = NSLock()
    private var connection: PostgresConnection?

    /// Connects and creates the tables when missing.
    public init(url: String, leaseSeconds: Double) throws(ServiceError) {
        self.url = url
        self.leaseSeconds = max(1, leaseSeconds)
        try locked { c throws(ReportError) in
            // Serialise schema creation between processes starting together.
            _ = try c.rows("SELECT pg_advisory_lock(4242001)")
            defer { _ = try? c.rows("SELECT pg_advisory_unlock(4242001)") }
            _ = try c.rows("""
                CREATE TABLE IF NOT EXISTS folio_jobs (
                    id text PRIMARY KEY,
                    spec text NOT NULL,
                    report text NOT NULL,
                    state text NOT NULL,
                    items integer NOT NULL,
                    items_done integer NOT NULL DEFAULT 0,
                    pages_done integer NOT NULL DEFAULT 0,
                    failure text,
                    result_type text,
                    worker text,
                    lease_until timestamptz,
                    attempts integer NOT NULL DEFAULT 0,
                    completions integer NOT NULL DEFAULT 0,
                    created timestamptz NOT NULL DEFAULT clock_timestamp(),
                    updated timestamptz NOT NULL DEFAULT clock_timestamp())
                """)
            _ = try c.rows("CREATE INDEX IF NOT EXISTS folio_jobs_by_state ON folio_jobs (state, created)")
            _ = try c.rows("""
                CREATE TABLE IF NOT EXISTS folio_job_items (
                    job_id text NOT NULL REFERENCES folio_jobs(id) ON DELETE CASCADE,
                    item integer NOT NULL,
                    pages integer NOT NULL DEFAULT 0,
                    pdf bytea,
                    error text,
                    worker text,
                    PRIMARY KEY (job_id, item))
                """)
            _ = try c.rows("""
                CREATE TABLE IF NOT EXISTS folio_job_results (
                    job_id text PRIMARY KEY REFERENCES folio_jobs(id) ON DELETE CASCADE,
                    content_type text NOT NULL,
                    data bytea NOT NULL)
                """)
        }
    }

    /// Runs `body` on the connection (one statement sequence at a time), reconnecting after a failure.
    private func locked<T>(_ body: (PostgresConnection) throws(ReportError) -> T) throws(ServiceError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            let c: PostgresConnection
            if let existing = connection { c = existing } else {
                c = try PostgresConnection(url: url)
                connection = c
            }
            return try body(c)
        } catch {
            connection = nil
            throw ServiceError(.queue, "job queue: \(error.message)")
        }
    }

    private static let statusColumns = """
        id, report, state, items, items_done, pages_done, failure, result_type,
        extract(epoch from created)::float8 AS created, extract(epoch from updated)::float8 AS updated
        """

    private func status(_ c: PostgresConnection, _ id: String) throws(ReportError) -> JobStatus? {
        guard let row = try c.rows("SELECT \(Self.statusColumns) FROM folio_jobs WHERE id = $1", [id]).first else { return nil }
        let errors = try c.rows("SELECT error FROM folio_job_items WHERE job_id = $1 AND error IS NOT NULL ORDER BY item", [id])
            .compactMap { $0["error"].flatMap { $0 } }
            .compactMap { try? JSONDecoder.folio.decode(ItemError.self, from: Data($0.utf8)) }
        func int(_ k: String) -> Int { row[k].flatMap { $0 }.flatMap { Int($0) } ?? 0 }
        func date(_ k: String) -> Date { Date(timeIntervalSince1970: row[k].flatMap { $0 }.flatMap { Double($0) } ?? 0) }
        return JobStatus(id: id, state: JobState(rawValue: row["state"].flatMap { $0 } ?? "") ?? .failed,
                         report: row["report"].flatMap { $0 } ?? "", items: int("items"), itemsDone: int("items_done"),
                         pagesDone: int("pages_done"), errors: errors, failure: row["failure"].flatMap { $0 },
                         resultType: row["result_type"].flatMap { $0 }, created: date("created"), updated: date("updated"))
    }

    public func submit(_ spec: JobSpec) throws(ServiceError) -> JobStatus {
        let id = UUID().uuidString.lowercased()
        guard let specJSON = try? String(decoding: JSONEncoder.folio.encode(spec), as: UTF8.self) else {
            throw ServiceError(.internal, "cannot encode the job")
        }
        return try locked { c throws(ReportError) in
            _ = try c.rows("INSERT INTO folio_jobs (id, spec, report, state, items) VALUES ($1, $2, $3, 'queued', $4)",
                           [id, specJSON, spec.report, String(spec.itemCount)])
            guard let s = try status(c, id) else { throw ReportError(.database, "the job vanished") }
            return s
        }
    }

    public func status(_ id: String) throws(ServiceError) -> JobStatus? {
        try locked { c throws(ReportError) in try status(c, id) }
    }

    public func result(_ id: String) throws(ServiceError) -> (Data, String)? {
        try locked { c throws(ReportError) -> (Data, String)? in
            guard let row = try c.rows("SELECT content_type, encode(data, 'base64') AS data FROM folio_job_results WHERE job_id = $1", [id]).first,
                  let type = row["content_type"].flatMap({ $0 }), let text = row["data"].flatMap({ $0 }),
                  let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return nil }
            return (data, type)
        }
    }

    public func cancel(_ id: String) throws(ServiceError) -> JobStatus? {
        try locked { c throws(ReportError) in
            _ = try c.rows("""
                UPDATE folio_jobs SET state = 'cancelled', lease_until = NULL, updated = clock_timestamp()
                WHERE id = $1 AND state IN ('queued', 'running')
                """, [id])
            return try status(c, id)
        }
    }

    public func depth() throws(ServiceError) -> Int {
        try locked { c throws(ReportError) in
            Int(try c.rows("SELECT count(*) AS n FROM folio_jobs WHERE state IN ('queued', 'running')").first?["n"].flatMap { $0 } ?? "0") ?? 0
        }
    }

    public func claim(worker: String) throws(ServiceError) -> ClaimedJob? {
        try locked { c throws(ReportError) -> ClaimedJob? in
            guard let row = try c.rows("""
                UPDATE folio_jobs SET state = 'running', worker = $1, attempts = attempts + 1,
                    lease_until = clock_timestamp() + make_interval(secs => $2::float8), updated = clock_timestamp()
                WHERE id = (
                    SELECT id FROM folio_jobs
                    WHERE state = 'queued' OR (state = 'running' AND lease_until < clock_timestamp())
                    ORDER BY created
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, spec
                """, [worker, String(leaseSeconds)]).first,
                let id = row["id"].flatMap({ $0 }), let specText = row["spec"].flatMap({ $0 }) else { return nil }
            guard let spec = try? JSONDecoder.folio.decode(JobSpec.self, from: Data(specText.utf8)) else {
                _ = try c.rows("UPDATE folio_jobs SET state = 'failed', failure = 'unreadable job' WHERE id = $1", [id])
                return nil
            }
            let done = Set(try c.rows("SELECT item FROM folio_job_items WHERE job_id = $1", [id]).compactMap { $0["item"].flatMap { $0 }.flatMap { Int($0) } })
            return ClaimedJob(id: id, spec: spec, done: done)
        }
    }

    public func heartbeat(_ id: String, worker: String) throws(ServiceError) -> Bool {
        try locked { c throws(ReportError) in
            !(try c.rows("""
                UPDATE folio_jobs SET lease_until = clock_timestamp() + make_interval(secs => $3::float8)
                WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING id
                """, [id, worker, String(leaseSeconds)]).isEmpty)
        }
    }

    public func checkpoint(_ id: String, worker: String, item: Int, outcome: ItemOutcome) throws(ServiceError) -> Bool {
        var pages = 0
        var pdf: String?
        var error: String?
        switch outcome {
        case .rendered(let data, let p): pages = p; pdf = data.base64EncodedString()
        case .failed(let e): error = (try? JSONEncoder.folio.encode(e)).map { String(decoding: $0, as: UTF8.self) } ?? e.message
        }
        return try locked { c throws(ReportError) in
            !(try c.rows("""
                WITH held AS (
                    SELECT id FROM folio_jobs WHERE id = $1 AND worker = $2 AND state = 'running' FOR UPDATE),
                saved AS (
                    INSERT INTO folio_job_items (job_id, item, pages, pdf, error, worker)
                    SELECT id, $3::int, $4::int, decode($5, 'base64'), $6, $2 FROM held
                    ON CONFLICT (job_id, item) DO NOTHING
                    RETURNING job_id)
                UPDATE folio_jobs SET items_done = items_done + 1, pages_done = pages_done + $4::int, updated = clock_timestamp()
                WHERE id IN (SELECT job_id FROM saved) RETURNING id
                """, [id, worker, String(item), String(pages), pdf, error]).isEmpty)
        }
    }

    public func outcomes(_ id: String) throws(ServiceError) -> [Int: ItemOutcome] {
        try locked { c throws(ReportError) in
            var out: [Int: ItemOutcome] = [:]
            for row in try c.rows("SELECT item, pages, encode(pdf, 'base64') AS pdf, error FROM folio_job_items WHERE job_id = $1", [id]) {
                guard let item = row["item"].flatMap({ $0 }).flatMap({ Int($0) }) else { continue }
                if let e = row["error"].flatMap({ $0 }) {
                    out[item] = .failed((try? JSONDecoder.folio.decode(ItemError.self, from: Data(e.utf8)))
                        ?? ItemError(item: item, id: nil, error: ServiceError(.internal, e)))
                } else if let text = row["pdf"].flatMap({ $0 }), let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) {
                    out[item] = .rendered(pdf: data, pages: row["pages"].flatMap { $0 }.flatMap { Int($0) } ?? 0)
                }
            }
            return out
        }
    }

    public func complete(_ id: String, worker: String, result: Data?, type: String?, failure: String?) throws(ServiceError) -> Bool {
        let encoded = result?.base64EncodedString()
        return try locked { c throws(ReportError) in
            _ = try c.rows("BEGIN")
            do throws(ReportError) {
                let held = try c.rows("""
                    UPDATE folio_jobs SET state = $3, failure = $4, result_type = $5, completions = completions + 1,
                        lease_until = NULL, updated = clock_timestamp()
                    WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING id
                    """, [id, worker, failure == nil ? "succeeded" : "failed", failure, failure == nil ? type : nil])
                if !held.isEmpty, let encoded, let type, failure == nil {
                    _ = try c.rows("INSERT INTO folio_job_results (job_id, content_type, data) VALUES ($1, $2, decode($3, 'base64'))",
                                   [id, type, encoded])
                }
                _ = try c.rows("COMMIT")
                return !held.isEmpty
            } catch {
                _ = try? c.rows("ROLLBACK")
                throw error
            }
        }
    }

    public func release(_ id: String, worker: String) throws(ServiceError) {
        try locked { c throws(ReportError) in
            _ = try c.rows("""
                UPDATE folio_jobs SET state = 'queued', worker = NULL, lease_until = NULL, updated = clock_timestamp()
                WHERE id = $1 AND worker = $2 AND state = 'running'
                """, [id, worker])
        }
    }
}
