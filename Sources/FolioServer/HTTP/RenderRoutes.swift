import FolioReports
import Foundation
import Hummingbird

/// `POST /v1/reports/{name}/render`, `POST /v1/render` (posted RML), `POST /v1/transform`
/// (posted stylesheet + data) and `GET /v1/reports`.
struct RenderRoutes<Context: RequestContext> {
    let service: RenderService
    let responder: RenderResponder
    let configuration: ServerConfiguration

    func register(on router: some RouterMethods<Context>) {
        router.get("/v1/reports") { _, _ in try self.listReports() }
        router.post("/v1/reports/:name/render") { request, context in
            try await self.renderReport(request, name: context.parameters.get("name") ?? "")
        }
        router.post("/v1/render") { request, _ in try await self.renderRML(request) }
        router.post("/v1/transform") { request, _ in try await self.renderStylesheet(request) }
    }

    private var limit: Int { configuration.limits.maxBodyBytes }

    func renderReport(_ request: Request, name: String) async throws(ServiceError) -> Response {
        let posted = try await PostedRequest.read(request, limit: limit)
        let format = try posted.format(request.uri.queryParameters["format"].map(String.init))
        let data: ReportRequest.DataInput
        var parameters: [String: String] = [:]
        var language: String?
        if posted.isXML {
            data = .posted(posted.body, name: "posted data")
        } else if let json = posted.json {
            parameters = try posted.parameters()
            language = json["language"] as? String
            switch (json["ids"], json["data"]) {
            case (let ids?, nil): data = .records(ids: try PostedRequest.ids(ids))
            case (nil, let value?): data = .posted(try PostedRequest.data(value, field: "data"), name: "posted data")
            case (nil, nil): data = .sample
            default: throw ServiceError(.badRequest, "give either ids or data, not both")
            }
        } else {
            throw ServiceError(.unsupportedMediaType, "send application/json (ids or data) or XML data")
        }
        let source = RenderSource.report(ReportRequest(report: name, data: data, parameters: parameters, language: language))
        return try await responder.respond(source, format: format, fileName: name)
    }

    func renderRML(_ request: Request) async throws(ServiceError) -> Response {
        try requireAdHoc()
        let posted = try await PostedRequest.read(request, limit: limit)
        let rml: Data
        if posted.isXML {
            rml = posted.body
        } else if let json = posted.json, let text = json["rml"] as? String {
            rml = Data(text.utf8)
        } else {
            throw ServiceError(.badRequest, "send RML as an XML body, or JSON {\"rml\": \"<document>…\"}")
        }
        let format = try posted.format(request.uri.queryParameters["format"].map(String.init))
        guard format != .raw else { throw ServiceError(.badRequest, "posted RML has no data XML (format raw)") }
        return try await responder.respond(.rml(rml, name: "posted RML"), format: format, fileName: "document")
    }

    func renderStylesheet(_ request: Request) async throws(ServiceError) -> Response {
        try requireAdHoc()
        let posted = try await PostedRequest.read(request, limit: limit)
        guard let json = posted.json else {
            throw ServiceError(.unsupportedMediaType, "send JSON {\"stylesheet\": \"<xsl:stylesheet…>\", \"data\": …}")
        }
        guard let stylesheet = json["stylesheet"] as? String else {
            throw ServiceError(.badRequest, "stylesheet (XSL text) is required")
        }
        guard let value = json["data"] else { throw ServiceError(.badRequest, "data is required") }
        let data = try PostedRequest.data(value, field: "data")
        let source = RenderSource.stylesheet(Data(stylesheet.utf8), data: data,
                                             dataName: value is String ? "posted data" : "posted data.json",
                                             parameters: try posted.parameters())
        return try await responder.respond(source, format: try posted.format(nil), fileName: "document")
    }

    private func requireAdHoc() throws(ServiceError) {
        guard configuration.adHoc.enabled else {
            throw ServiceError(.disabled, "ad-hoc rendering is switched off in this server's configuration")
        }
    }

    func listReports() throws(ServiceError) -> Response {
        let packages: [ReportPackage]
        do { packages = try service.engine.repository.list() } catch { throw ServiceError(error) }
        let list: [[String: Any]] = packages.sorted { $0.name < $1.name }.map { p in
            [
                "name": p.name,
                "version": "\(p.version)",
                "summary": p.manifest.summary,
                "reports": p.manifest.reports.map { r -> [String: Any] in
                    var d: [String: Any] = ["name": r.name, "kind": r.kind.rawValue]
                    if let t = r.title { d["title"] = t }
                    if let m = r.model { d["model"] = m }
                    return d
                },
            ]
        }
        return JSONResponse.make(["packages": list])
    }
}

/// JSON bodies with sorted keys (stable output).
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
