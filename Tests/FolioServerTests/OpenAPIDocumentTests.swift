import FolioPipeline
import FolioServer
import Foundation
import XCTest
import Yams

/// `docs/openapi.yaml` against the service: the routes the router answers and the documented
/// operations are the same set, the served copy is the committed one, and real answers (errors,
/// job statuses, renders) have the status, media type, headers and properties the document gives
/// them.
///
/// After editing docs/openapi.yaml, `FOLIO_RECORD=1 swift test --filter OpenAPIDocumentTests`
/// rewrites the copy the service embeds (Sources/FolioServer/HTTP/OpenAPIDocument.swift).
final class OpenAPIDocumentTests: XCTestCase {
    static let documentPath = TestServer.packageRoot.appendingPathComponent("docs/openapi.yaml")
    static let embeddedPath = TestServer.packageRoot.appendingPathComponent("Sources/FolioServer/HTTP/OpenAPIDocument.swift")
    static let token = "openapi-test-token"

    // MARK: The document itself

    func testTheEmbeddedCopyIsTheCommittedDocument() throws {
        let yaml = try String(contentsOf: Self.documentPath, encoding: .utf8)
        let source = try Self.embeddedSource(yaml)
        if ProcessInfo.processInfo.environment["FOLIO_RECORD"] == "1" {
            try source.write(to: Self.embeddedPath, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: Self.embeddedPath, encoding: .utf8)
        XCTAssertEqual(onDisk, source, "Sources/FolioServer/HTTP/OpenAPIDocument.swift is not docs/openapi.yaml: run FOLIO_RECORD=1 swift test --filter OpenAPIDocumentTests and rebuild")
    }

    func testTheDocumentIsWellFormed() throws {
        let doc = try OpenAPI.load()
        XCTAssertEqual(doc.root["openapi"] as? String, "3.1.0")
        XCTAssertFalse(doc.operations.isEmpty)
        // Every $ref points somewhere.
        for ref in doc.references() {
            XCTAssertNotNil(doc.resolve(ref), "unresolved \(ref)")
        }
        for (route, operation) in doc.operations {
            let responses = operation["responses"] as? [String: Any] ?? [:]
            XCTAssertFalse(responses.isEmpty, "\(route) documents no response")
            // Path parameters are declared, on the operation or its path.
            let declared = Set(doc.parameters(of: route).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
            let inPath = Set(route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            XCTAssertEqual(declared, inPath, "\(route): path parameters")
            // Every protected operation documents its 401; open ones opt out with `security: []`.
            let open = (operation["security"] as? [Any])?.isEmpty == true
            if !open { XCTAssertNotNil(responses["401"], "\(route) needs a token but documents no 401") }
        }
        // The problem codes are exactly the service's.
        let codes = try XCTUnwrap(doc.schema("ProblemCode")?["enum"] as? [String])
        XCTAssertEqual(Set(codes), Set(ServiceError.Code.allCases.map(\.rawValue)))
        for code in ServiceError.Code.allCases {
            let documented = doc.operations.values.contains { ($0["responses"] as? [String: Any])?["\(code.status)"] != nil }
            XCTAssertTrue(documented, "no operation documents status \(code.status) (\(code.rawValue))")
        }
    }

    /// The validator finds what is missing, extra or of the wrong type: the checks below can fail.
    func testTheValidatorRejectsNonConformingBodies() throws {
        let doc = try OpenAPI.load()
        let problem: [String: Any] = ["type": "https://folio.invalid/problems/data-error", "title": "Data Error", "status": 400,
                                      "code": "data-error", "detail": "x", "location": ["file": "a.xml", "line": 1, "column": 2]]
        XCTAssertEqual(doc.validate(problem, schemaNamed: "Problem"), [])
        var missing = problem; missing["detail"] = nil
        XCTAssertFalse(doc.validate(missing, schemaNamed: "Problem").isEmpty)
        var extra = problem; extra["message"] = "x"
        XCTAssertFalse(doc.validate(extra, schemaNamed: "Problem").isEmpty)
        var badCode = problem; badCode["code"] = "no-such-code"
        XCTAssertFalse(doc.validate(badCode, schemaNamed: "Problem").isEmpty)
        var badLocation = problem; badLocation["location"] = ["file": "a.xml", "line": "1", "column": 2]
        XCTAssertFalse(doc.validate(badLocation, schemaNamed: "Problem").isEmpty)
        var badType = problem; badType["status"] = "400"
        XCTAssertFalse(doc.validate(badType, schemaNamed: "Problem").isEmpty)
        XCTAssertFalse(doc.validate(["state": "queued"], schemaNamed: "JobStatus").isEmpty)
        // A route table with a route the document lacks, or without one it has, is caught.
        let routes = Set(try Self.service().routes)
        XCTAssertFalse(doc.compare(routes: routes.union([ServiceRoute(method: "GET", path: "/v1/undocumented")])).undocumented.isEmpty)
        XCTAssertFalse(doc.compare(routes: routes.subtracting([ServiceRoute(method: "GET", path: "/healthz")])).missing.isEmpty)
    }

    // MARK: Routes

    /// The service's route table and the document's operations are the same set.
    func testEveryRouteIsDocumentedAndEveryOperationIsRouted() throws {
        let doc = try OpenAPI.load()
        let list = try Self.service().routes
        XCTAssertGreaterThanOrEqual(list.count, 13, "\(list)")
        XCTAssertEqual(list.count, Set(list).count, "a route is registered twice: \(list)")
        let (undocumented, missing) = doc.compare(routes: Set(list))
        XCTAssertTrue(undocumented.isEmpty, "routes not in docs/openapi.yaml: \(undocumented.map(\.description).sorted())")
        XCTAssertTrue(missing.isEmpty, "operations in docs/openapi.yaml the service does not register: \(missing.map(\.description).sorted())")
    }

    /// On a running server, every documented operation is answered by a route (not the router's
    /// not-found), with a documented status, media type and body; an undocumented path and a
    /// documented path with an undocumented method get the router's not-found.
    func testEveryDocumentedOperationAnswersAsDocumented() async throws {
        let doc = try OpenAPI.load()
        var config = TestServer.configuration()
        config.auth.tokens = [Self.token]
        let server = try await TestServer(config, runJobs: true)
        do {
            let miss = try await HTTP.request("GET", server.base + "/v1/no-such-route", token: Self.token)
            XCTAssertEqual(miss.status, 404)
            XCTAssertEqual(miss.header("Content-Type"), "application/problem+json")
            let wrongMethod = try await HTTP.request("PUT", server.base + "/v1/render", body: Data(), token: Self.token)
            XCTAssertTrue(Self.isRouterMiss(wrongMethod, miss), "PUT /v1/render: \(wrongMethod.status) \(wrongMethod.text)")

            let job = try await HTTP.request("POST", server.base + "/v1/jobs", json: ["report": "stock.picking.list"], token: Self.token)
            let jobID = try XCTUnwrap(job.json["id"] as? String, job.text)
            // DELETE last, so the other job routes see the job as it runs or after it ends.
            let operations = doc.operations.keys.sorted { ($0.method == "DELETE" ? 1 : 0, $0.path, $0.method) < ($1.method == "DELETE" ? 1 : 0, $1.path, $1.method) }
            for route in operations {
                let path = route.path.replacingOccurrences(of: "{name}", with: "stock.picking.list")
                    .replacingOccurrences(of: "{id}", with: jobID)
                XCTAssertFalse(path.contains("{"), "\(route): no value for its path parameters")
                let reply: HTTP.Reply
                switch (route.method, route.path) {
                case ("POST", "/v1/reports/{name}/render"):
                    reply = try await HTTP.request("POST", server.base + path, json: ["format": "rml"], token: Self.token)
                case ("POST", "/v1/render"):
                    reply = try await HTTP.request("POST", server.base + path, body: Self.invoice(), contentType: "application/xml", token: Self.token)
                case ("POST", "/v1/transform"):
                    reply = try await HTTP.request("POST", server.base + path, json: ["stylesheet": Self.brokenStylesheet, "data": "<a/>"], token: Self.token)
                case ("POST", "/v1/jobs"):
                    reply = try await HTTP.request("POST", server.base + path, json: ["report": "stock.picking.list", "batch": "zip", "records": ["<a/>"]], token: Self.token)
                case ("POST", let p) where p.hasPrefix("/xmlrpc/"):
                    reply = try await HTTP.request("POST", server.base + path, body: Self.xmlrpcCall, contentType: "text/xml")
                case ("POST", _):
                    reply = try await HTTP.request("POST", server.base + path, json: [:], token: Self.token)
                default:
                    reply = try await HTTP.request(route.method, server.base + path, token: Self.token)
                }
                XCTAssertFalse(Self.isRouterMiss(reply, miss), "\(route) is documented but not routed: \(reply.status) \(reply.text.prefix(300))")
                doc.assertConforms(reply, to: route)
                if route == ServiceRoute(method: "GET", path: "/openapi.yaml") {
                    XCTAssertEqual(reply.status, 200)
                    let committed = try String(contentsOf: Self.documentPath, encoding: .utf8)
                    XCTAssertTrue(reply.text == committed, "GET /openapi.yaml is not docs/openapi.yaml (rebuild after FOLIO_RECORD=1)")
                }
            }
        }
        await server.stop()
    }

    // MARK: Real answers against the schemas

    func testProblemDocumentsHaveTheDocumentedProperties() async throws {
        let doc = try OpenAPI.load()
        var config = TestServer.configuration()
        config.auth.tokens = [Self.token]
        config.limits.maxBodyBytes = 64 << 10
        let server = try await TestServer(config)
        do {
            // A render error with its place in the posted RML.
            let bad = try await HTTP.request("POST", server.base + "/v1/render", body: Data("<document>\n  <story><para>x</story>\n</document>".utf8),
                                             contentType: "application/xml", token: Self.token)
            XCTAssertEqual(bad.status, 400)
            doc.assertConforms(bad, to: ServiceRoute(method: "POST", path: "/v1/render"))
            XCTAssertEqual(bad.json["code"] as? String, "document-error")
            XCTAssertEqual(bad.json["status"] as? Int, 400)
            XCTAssertFalse((bad.json["detail"] as? String ?? "").isEmpty)
            let location = try XCTUnwrap(bad.json["location"] as? [String: Any], bad.text)
            XCTAssertEqual(location["file"] as? String, "posted RML")
            XCTAssertEqual(location["line"] as? Int, 2)
            XCTAssertNotNil(location["column"] as? Int)

            let sheet = try await HTTP.request("POST", server.base + "/v1/transform", json: ["stylesheet": Self.brokenStylesheet, "data": "<a/>"], token: Self.token)
            XCTAssertEqual(sheet.status, 422)
            doc.assertConforms(sheet, to: ServiceRoute(method: "POST", path: "/v1/transform"))
            XCTAssertNotNil(sheet.json["location"] as? [String: Any], sheet.text)

            let missing = try await HTTP.request("POST", server.base + "/v1/reports/no.such.report/render", json: [:], token: Self.token)
            XCTAssertEqual(missing.status, 404)
            doc.assertConforms(missing, to: ServiceRoute(method: "POST", path: "/v1/reports/{name}/render"))

            let big = try await HTTP.request("POST", server.base + "/v1/render", body: Data(repeating: 0x20, count: 100_000), contentType: "application/xml", token: Self.token)
            XCTAssertEqual(big.status, 413)
            doc.assertConforms(big, to: ServiceRoute(method: "POST", path: "/v1/render"))

            let unsupported = try await HTTP.request("POST", server.base + "/v1/jobs", body: Data("x".utf8), contentType: "text/plain", token: Self.token)
            XCTAssertEqual(unsupported.status, 415)
            doc.assertConforms(unsupported, to: ServiceRoute(method: "POST", path: "/v1/jobs"))

            let denied = try await HTTP.request("GET", server.base + "/v1/reports")
            XCTAssertEqual(denied.status, 401)
            doc.assertConforms(denied, to: ServiceRoute(method: "GET", path: "/v1/reports"))

            let unknownJob = try await HTTP.request("GET", server.base + "/v1/jobs/no-such-job", token: Self.token)
            XCTAssertEqual(unknownJob.status, 404)
            doc.assertConforms(unknownJob, to: ServiceRoute(method: "GET", path: "/v1/jobs/{id}"))

            let reports = try await HTTP.request("GET", server.base + "/v1/reports", token: Self.token)
            XCTAssertEqual(reports.status, 200)
            doc.assertConforms(reports, to: ServiceRoute(method: "GET", path: "/v1/reports"))
        }
        await server.stop()
    }

    func testJobStatusesHaveTheDocumentedProperties() async throws {
        let doc = try OpenAPI.load()
        let server = try await TestServer(runJobs: true)
        do {
            let data = try JobTests.pickingData()
            let submitted = try await HTTP.request("POST", server.base + "/v1/jobs",
                                                   json: ["report": "stock.picking.list", "records": [data, "<broken"], "batch": "merged"])
            XCTAssertEqual(submitted.status, 202, submitted.text)
            doc.assertConforms(submitted, to: ServiceRoute(method: "POST", path: "/v1/jobs"))
            let id = try XCTUnwrap(submitted.json["id"] as? String)
            XCTAssertEqual(submitted.header("Location"), "/v1/jobs/\(id)")

            let early = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            doc.assertConforms(early, to: ServiceRoute(method: "GET", path: "/v1/jobs/{id}/result"))

            var final: [String: Any] = [:]
            for _ in 0..<3000 {
                let r = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)")
                XCTAssertEqual(r.status, 200)
                doc.assertConforms(r, to: ServiceRoute(method: "GET", path: "/v1/jobs/{id}"))
                if let state = r.json["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { final = r.json; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            XCTAssertEqual(final["state"] as? String, "succeeded", "\(final)")
            XCTAssertEqual(final["resultType"] as? String, "application/pdf")
            let errors = try XCTUnwrap(final["errors"] as? [[String: Any]])
            XCTAssertEqual(errors.count, 1, "\(final)")
            XCTAssertEqual(doc.validate(errors[0], schemaNamed: "ItemError"), [])

            let result = try await HTTP.request("GET", server.base + "/v1/jobs/\(id)/result")
            XCTAssertEqual(result.status, 200)
            doc.assertConforms(result, to: ServiceRoute(method: "GET", path: "/v1/jobs/{id}/result"))

            let cancelEnded = try await HTTP.request("DELETE", server.base + "/v1/jobs/\(id)")
            XCTAssertEqual(cancelEnded.status, 409)
            doc.assertConforms(cancelEnded, to: ServiceRoute(method: "DELETE", path: "/v1/jobs/{id}"))
        }
        await server.stop()
    }

    // MARK: Helpers

    /// A service with the default configuration (every optional route on). One for the whole
    /// run: a service's render threads start asynchronously and must not outlive it.
    static func service() throws -> FolioService {
        try sharedService.get()
    }

    private static let sharedService = Result { () throws -> FolioService in
        var configuration = TestServer.configuration()
        configuration.dataDirectory = NSTemporaryDirectory() + "folio-openapi-routes"
        return try FolioService(configuration: configuration,
                                settings: .init(fontsDirectory: TestServer.packageRoot.appendingPathComponent("fonts").path))
    }

    /// Whether an answer is the router's own not-found (no route for the method and path).
    static func isRouterMiss(_ reply: HTTP.Reply, _ miss: HTTP.Reply) -> Bool {
        reply.status == 405 || (reply.status == miss.status && reply.body == miss.body)
    }

    static func invoice() throws -> Data {
        try Data(contentsOf: TestServer.packageRoot.appendingPathComponent("samples/invoice.rml"))
    }

    static let brokenStylesheet = "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n<xsl:template match=\"/\">\n<xsl:value-of select=\"1 +\"/>\n</xsl:template></xsl:stylesheet>"

    static let xmlrpcCall = Data("""
        <?xml version="1.0"?><methodCall><methodName>report_get</methodName><params>
        <param><value><string>nodb</string></value></param><param><value><int>1</int></value></param>
        <param><value><string>wrong</string></value></param><param><value><int>1</int></value></param>
        </params></methodCall>
        """.utf8)

    /// The Swift source that embeds the document.
    static func embeddedSource(_ yaml: String) throws -> String {
        guard !yaml.contains("\"\"\"##") else { throw TestFailure("docs/openapi.yaml may not contain \"\"\"##") }
        return """
            // Generated from docs/openapi.yaml: after editing that file, run
            // `FOLIO_RECORD=1 swift test --filter OpenAPIDocumentTests` and rebuild. Do not edit by hand.

            /// The service's OpenAPI document, served at `GET /openapi.yaml`.
            enum OpenAPIDocument {
                static let contentType = "application/yaml"

                static let yaml = ##\"\"\"

            """ + yaml + "\n\"\"\"##\n}\n"
    }
}

/// The parts of an OpenAPI 3.1 document the tests read, and a JSON Schema checker for the
/// keywords the document uses (`$ref`, `type`, `enum`, `required`, `properties`,
/// `additionalProperties`, `items`, `minItems`, `oneOf`).
struct OpenAPI {
    let root: [String: Any]
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    static func load() throws -> OpenAPI {
        let text = try String(contentsOf: OpenAPIDocumentTests.documentPath, encoding: .utf8)
        guard let root = normalise(try Yams.load(yaml: text)) as? [String: Any] else { throw TestFailure("docs/openapi.yaml is not a mapping") }
        return OpenAPI(root: root)
    }

    /// YAML mappings as `[String: Any]`, all the way down.
    static func normalise(_ value: Any?) -> Any? {
        if let map = value as? [AnyHashable: Any] {
            var out: [String: Any] = [:]
            for (k, v) in map { out["\(k.base)"] = normalise(v) }
            return out
        }
        if let map = value as? [String: Any] { return normalise(Dictionary(uniqueKeysWithValues: map.map { (AnyHashable($0.key), $0.value) })) }
        if let list = value as? [Any] { return list.map { normalise($0) ?? NSNull() } }
        return value
    }

    var paths: [String: Any] { root["paths"] as? [String: Any] ?? [:] }

    /// Every operation, by method and path.
    var operations: [ServiceRoute: [String: Any]] {
        var out: [ServiceRoute: [String: Any]] = [:]
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in Self.methods {
                if let op = item[method] as? [String: Any] { out[ServiceRoute(method: method.uppercased(), path: path)] = op }
            }
        }
        return out
    }

    func compare(routes: Set<ServiceRoute>) -> (undocumented: Set<ServiceRoute>, missing: Set<ServiceRoute>) {
        let documented = Set(operations.keys)
        return (routes.subtracting(documented), documented.subtracting(routes))
    }

    /// Parameters of an operation and of its path item, resolved.
    func parameters(of route: ServiceRoute) -> [[String: Any]] {
        let item = paths[route.path] as? [String: Any] ?? [:]
        let op = item[route.method.lowercased()] as? [String: Any] ?? [:]
        let list = (item["parameters"] as? [Any] ?? []) + (op["parameters"] as? [Any] ?? [])
        return list.compactMap { deref($0) as? [String: Any] }
    }

    func schema(_ name: String) -> [String: Any]? {
        ((root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any]
    }

    /// `#/a/b/c` in this document.
    func resolve(_ ref: String) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any? = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    /// The node, or what its `$ref` points to.
    func deref(_ node: Any?) -> Any? {
        var node = node
        for _ in 0..<16 {
            guard let ref = (node as? [String: Any])?["$ref"] as? String else { return node }
            node = resolve(ref)
        }
        return nil
    }

    /// Every `$ref` in the document.
    func references() -> [String] {
        var out: [String] = []
        func walk(_ node: Any?) {
            if let map = node as? [String: Any] {
                if let ref = map["$ref"] as? String { out.append(ref) }
                map.values.forEach(walk)
            } else if let list = node as? [Any] {
                list.forEach(walk)
            }
        }
        walk(root)
        return out
    }

    func validate(_ value: Any, schemaNamed name: String) -> [String] {
        guard let schema = schema(name) else { return ["no schema \(name)"] }
        return validate(value, schema: schema, at: "$")
    }

    /// Where `value` breaks `schema` (empty when it conforms).
    func validate(_ value: Any, schema node: Any?, at place: String) -> [String] {
        guard let schema = deref(node) as? [String: Any] else { return ["\(place): unresolvable schema"] }
        var errors: [String] = []
        if let alternatives = schema["oneOf"] as? [Any] {
            let matching = alternatives.filter { validate(value, schema: $0, at: place).isEmpty }.count
            if matching != 1 { errors.append("\(place): matches \(matching) of oneOf, not 1") }
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { Self.isOfType(value, $0) }) {
                return errors + ["\(place): \(Self.describe(value)) is not \(types.joined(separator: " or "))"]
            }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            errors.append("\(place): \(value) is not one of \(allowed)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil || object[key] is NSNull {
                errors.append("\(place): \(key) is required")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, v) in object {
                if let property = properties[key] {
                    errors += validate(v, schema: property, at: "\(place).\(key)")
                } else if let extra = schema["additionalProperties"] {
                    if extra as? Bool == false {
                        errors.append("\(place): \(key) is not a documented property")
                    } else if extra is [String: Any] {
                        errors += validate(v, schema: extra, at: "\(place).\(key)")
                    }
                }
            }
        }
        if let list = value as? [Any] {
            if let min = schema["minItems"] as? Int, list.count < min { errors.append("\(place): fewer than \(min) items") }
            if let items = schema["items"] {
                for (i, v) in list.enumerated() { errors += validate(v, schema: items, at: "\(place)[\(i)]") }
            }
        }
        return errors
    }

    /// JSON booleans (and Swift's) are NSNumbers of type `c`; numbers are the other NSNumbers.
    static func isBoolean(_ value: Any) -> Bool {
        guard !(value is String), let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    static func isOfType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer":
            guard !(value is String), !isBoolean(value), let n = value as? NSNumber else { return false }
            return n.doubleValue == n.doubleValue.rounded()
        case "number": return !(value is String) && !isBoolean(value) && value is NSNumber
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "null": return value is NSNull
        default: return false
        }
    }

    static func describe(_ value: Any) -> String {
        for t in ["string", "boolean", "integer", "number", "object", "array", "null"] where isOfType(value, t) { return "\(t) \(value)" }
        return "\(value)"
    }

    /// The reply's status is documented for the operation, with its media type, headers and (for
    /// JSON) a body that conforms to the schema.
    func assertConforms(_ reply: HTTP.Reply, to route: ServiceRoute, file: StaticString = #filePath, line: UInt = #line) {
        guard let operation = operations[route] else {
            return XCTFail("\(route) is not in docs/openapi.yaml", file: file, line: line)
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let response = deref(responses["\(reply.status)"] ?? responses["default"]) as? [String: Any] else {
            return XCTFail("\(route) answered \(reply.status), which docs/openapi.yaml does not document: \(reply.text.prefix(300))", file: file, line: line)
        }
        for header in (response["headers"] as? [String: Any] ?? [:]).keys {
            XCTAssertNotNil(reply.header(header), "\(route) \(reply.status): documented header \(header) is missing", file: file, line: line)
        }
        guard let content = response["content"] as? [String: Any] else {
            return XCTAssertTrue(reply.body.isEmpty, "\(route) \(reply.status): a body where none is documented", file: file, line: line)
        }
        let mediaType = (reply.header("Content-Type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            return XCTFail("\(route) \(reply.status): Content-Type \(mediaType) is not among the documented \(content.keys.sorted())", file: file, line: line)
        }
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            guard let body = try? JSONSerialization.jsonObject(with: reply.body, options: [.fragmentsAllowed]) else {
                return XCTFail("\(route) \(reply.status): the body is not JSON: \(reply.text.prefix(300))", file: file, line: line)
            }
            let errors = validate(body, schema: media["schema"], at: "$")
            XCTAssertEqual(errors, [], "\(route) \(reply.status): \(reply.text.prefix(600))", file: file, line: line)
        } else if mediaType == "application/pdf" {
            XCTAssertTrue(reply.body.starts(with: Data("%PDF".utf8)), "\(route) \(reply.status): not a PDF", file: file, line: line)
        }
    }
}
