import Foundation
import Hummingbird

/// `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/result`, `DELETE /v1/jobs/{id}`.
struct JobRoutes<Context: RequestContext> {
    let queue: any JobQueue
    let webhooks: WebhookNotifier
    let configuration: ServerConfiguration

    func register(on router: some RouterMethods<Context>) {
        router.post("/v1/jobs") { request, _ in try await self.submit(request) }
        router.get("/v1/jobs/:id") { _, context in try await self.status(context.parameters.get("id") ?? "") }
        router.get("/v1/jobs/:id/result") { _, context in try await self.result(context.parameters.get("id") ?? "") }
        router.delete("/v1/jobs/:id") { _, context in try await self.cancel(context.parameters.get("id") ?? "") }
    }

    /// `{"report", "ids" | "records" | "data", "parameters", "language", "batch": "merged"|"zip", "webhook"}`.
    func submit(_ request: Request) async throws(ServiceError) -> Response {
        let posted = try await PostedRequest.read(request, limit: configuration.limits.maxBodyBytes)
        guard let json = posted.json else { throw ServiceError(.unsupportedMediaType, "send the job as JSON") }
        guard let report = json["report"] as? String, !report.isEmpty else { throw ServiceError(.badRequest, "report is required") }
        var spec = JobSpec(report: report, parameters: try posted.parameters(), language: json["language"] as? String)
        if let b = json["batch"] {
            guard let s = b as? String, let output = JobSpec.Output(rawValue: s) else {
                throw ServiceError(.badRequest, "batch must be 'merged' or 'zip'")
            }
            spec.batch = output
        }
        if let ids = json["ids"] { spec.ids = try PostedRequest.ids(ids) }
        if let records = json["records"] {
            guard let list = records as? [Any], !list.isEmpty else { throw ServiceError(.badRequest, "records must be a non-empty array") }
            spec.records = try list.enumerated().map { (i, r) throws(ServiceError) in
                String(decoding: try PostedRequest.data(r, field: "records[\(i)]"), as: UTF8.self)
            }
        }
        if let data = json["data"] {
            guard spec.records == nil else { throw ServiceError(.badRequest, "give records or data, not both") }
            spec.records = [String(decoding: try PostedRequest.data(data, field: "data"), as: UTF8.self)]
        }
        if spec.ids != nil && spec.records != nil { throw ServiceError(.badRequest, "give either ids or records, not both") }
        if spec.batch != nil && spec.ids == nil && spec.records == nil {
            throw ServiceError(.badRequest, "a batch needs ids or records")
        }
        if spec.itemCount > configuration.jobs.maxRecords {
            throw ServiceError(.limit, "a batch may hold at most \(configuration.jobs.maxRecords) records")
        }
        if let hook = json["webhook"] {
            guard let url = hook as? String else { throw ServiceError(.badRequest, "webhook must be a URL") }
            try webhooks.validate(url)
            spec.webhook = url
        }
        let queue = self.queue, job = spec
        let status = try await Blocking.run { () throws(ServiceError) in try queue.submit(job) }
        return try Self.json(status, status: .accepted, headers: [.location: "/v1/jobs/\(status.id)"])
    }

    func status(_ id: String) async throws(ServiceError) -> Response {
        let queue = self.queue
        guard let status = try await Blocking.run({ () throws(ServiceError) in try queue.status(id) }) else {
            throw ServiceError(.notFound, "no job '\(id)'")
        }
        return try Self.json(status)
    }

    func result(_ id: String) async throws(ServiceError) -> Response {
        let queue = self.queue
        guard let status = try await Blocking.run({ () throws(ServiceError) in try queue.status(id) }) else {
            throw ServiceError(.notFound, "no job '\(id)'")
        }
        switch status.state {
        case .queued, .running: throw ServiceError(.jobNotFinished, "job '\(id)' is \(status.state.rawValue)")
        case .failed: throw ServiceError(.jobFailed, status.failure ?? "the job failed")
        case .cancelled: throw ServiceError(.jobFailed, "the job was cancelled")
        case .succeeded: break
        }
        guard let (data, type) = try await Blocking.run({ () throws(ServiceError) in try queue.result(id) }) else {
            throw ServiceError(.notFound, "job '\(id)' has no result")
        }
        let ext = type == "application/zip" ? "zip" : "pdf"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(status.report)-\(id).\(ext)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func cancel(_ id: String) async throws(ServiceError) -> Response {
        let queue = self.queue
        if let before = try await Blocking.run({ () throws(ServiceError) in try queue.status(id) }), before.state.isFinal {
            throw ServiceError(.jobNotFinished, "job '\(id)' already ended (\(before.state.rawValue)); nothing to cancel")
        }
        guard let status = try await Blocking.run({ () throws(ServiceError) in try queue.cancel(id) }) else {
            throw ServiceError(.notFound, "no job '\(id)'")
        }
        if status.state != .cancelled {
            throw ServiceError(.jobNotFinished, "job '\(id)' already ended (\(status.state.rawValue)); nothing to cancel")
        }
        return try Self.json(status)
    }

    static func json(_ status: JobStatus, status code: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws(ServiceError) -> Response {
        guard let data = try? JSONEncoder.folio.encode(status) else { throw ServiceError(.internal, "cannot encode the job status") }
        var h: HTTPFields = [.contentType: "application/json"]
        h.append(contentsOf: headers)
        return Response(status: code, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
