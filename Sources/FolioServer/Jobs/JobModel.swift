import FolioReports
import Foundation

/// What a job renders: one report, or a batch (one render per record).
public struct JobSpec: Codable, Sendable, Equatable {
    /// How a batch's renders are delivered.
    public enum Output: String, Codable, Sendable {
        /// One PDF, the records' documents one after the other.
        case merged
        /// A ZIP archive with one PDF per record.
        case zip
    }

    /// The package report.
    public var report: String
    /// Record ids: all in one render, or one render each in a batch.
    public var ids: [Int64]?
    /// Posted data records (XML or JSON text): one in a single job, one render each in a batch.
    public var records: [String]?
    public var parameters: [String: String]
    public var language: String?
    /// nil: a single render; otherwise a batch delivered this way.
    public var batch: Output?
    /// URL called with the job's status when it ends.
    public var webhook: String?

    public init(report: String, ids: [Int64]? = nil, records: [String]? = nil, parameters: [String: String] = [:],
                language: String? = nil, batch: Output? = nil, webhook: String? = nil) {
        self.report = report; self.ids = ids; self.records = records; self.parameters = parameters
        self.language = language; self.batch = batch; self.webhook = webhook
    }

    /// The renders the job consists of, in order.
    public var itemCount: Int {
        guard batch != nil else { return 1 }
        return ids?.count ?? records?.count ?? 1
    }

    /// The render of item `index`.
    public func source(item index: Int) -> RenderSource {
        let data: ReportRequest.DataInput
        if batch != nil {
            if let ids { data = .records(ids: [ids[index]]) } else if let records {
                data = .posted(Data(records[index].utf8), name: "record \(index + 1)")
            } else { data = .sample }
        } else if let ids {
            data = .records(ids: ids)
        } else if let first = records?.first {
            data = .posted(Data(first.utf8), name: "posted data")
        } else {
            data = .sample
        }
        return .report(ReportRequest(report: report, data: data, parameters: parameters, language: language))
    }

    /// A name for item `index` (file names in ZIP archives, error lists).
    public func itemName(_ index: Int) -> String {
        if batch != nil, let ids { return "\(report)-\(ids[index])" }
        return "\(report)-\(String(format: "%05d", index + 1))"
    }
}

/// Where a job is.
public enum JobState: String, Codable, Sendable {
    case queued, running, succeeded, failed, cancelled

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// A record of a batch that failed: the batch goes on without it.
public struct ItemError: Codable, Sendable, Equatable {
    public var item: Int
    public var id: Int64?
    public var code: String
    public var message: String
    public var location: String?

    public init(item: Int, id: Int64?, error: ServiceError) {
        self.item = item; self.id = id; self.code = error.code.rawValue; self.message = error.message
        self.location = error.location.map { "\($0)" }
    }
}

/// A job's status, as `GET /v1/jobs/{id}` answers it.
public struct JobStatus: Codable, Sendable, Equatable {
    public var id: String
    public var state: JobState
    public var report: String
    public var items: Int
    public var itemsDone: Int
    public var pagesDone: Int
    public var errors: [ItemError]
    /// Why the whole job failed (every record failed, or the output could not be assembled).
    public var failure: String?
    /// `application/pdf` or `application/zip` once succeeded.
    public var resultType: String?
    public var created: Date
    public var updated: Date
}

/// The outcome of one item, saved as a checkpoint as soon as it is rendered.
public enum ItemOutcome: Sendable {
    case rendered(pdf: Data, pages: Int)
    case failed(ItemError)
}

/// A job a worker holds.
public struct ClaimedJob: Sendable {
    public var id: String
    public var spec: JobSpec
    /// Items already checkpointed (by this worker or one before it).
    public var done: Set<Int>
}
