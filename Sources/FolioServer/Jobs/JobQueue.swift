import Foundation

/// Where jobs wait, are claimed by workers, checkpoint their items, and keep their results.
///
/// Two implementations: `DiskJobQueue` (embedded, one process) and `PostgresJobQueue` (any number
/// of `folio serve` and `folio worker` processes sharing one database). Methods block; call them
/// off the event loop.
public protocol JobQueue: Sendable {
    /// Queues a job.
    func submit(_ spec: JobSpec) throws(ServiceError) -> JobStatus
    func status(_ id: String) throws(ServiceError) -> JobStatus?
    /// The finished output and its media type.
    func result(_ id: String) throws(ServiceError) -> (Data, String)?
    /// Cancels a queued or running job; nil for an unknown one.
    func cancel(_ id: String) throws(ServiceError) -> JobStatus?
    /// Jobs queued or running.
    func depth() throws(ServiceError) -> Int

    /// Takes the oldest queued job (or one whose worker's lease ran out) for `worker`.
    func claim(worker: String) throws(ServiceError) -> ClaimedJob?
    /// Renews the lease; false when the job is no longer this worker's to run (cancelled, or
    /// taken over after the lease ran out).
    func heartbeat(_ id: String, worker: String) throws(ServiceError) -> Bool
    /// Saves one item's outcome; false when the job is no longer this worker's.
    func checkpoint(_ id: String, worker: String, item: Int, outcome: ItemOutcome) throws(ServiceError) -> Bool
    /// Every saved item outcome, in item order.
    func outcomes(_ id: String) throws(ServiceError) -> [Int: ItemOutcome]
    /// Finishes the job with its output, once: false when it is no longer this worker's.
    func complete(_ id: String, worker: String, result: Data?, type: String?, failure: String?) throws(ServiceError) -> Bool
    /// Gives a job back to the queue (graceful shutdown): its checkpoints are kept.
    func release(_ id: String, worker: String) throws(ServiceError)
}
