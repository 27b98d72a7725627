import Foundation
import Hummingbird

/// Reading request bodies within the configured size limit, and the JSON fields routes share.
struct PostedRequest {
    /// The body as a JSON object, or nil when the body is not JSON.
    var json: [String: Any]?
    /// The raw body.
    var body: Data
    /// The media type without parameters, lowercased.
    var mediaType: String

    static func read(_ request: Request, limit: Int) async throws(ServiceError) -> PostedRequest {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw ServiceError(.bodyTooLarge, "the request body is larger than the limit of \(limit) bytes")
        }
        let body = Data(buffer.readableBytesView)
        let mediaType = (request.headers[.contentType] ?? "application/json")
            .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var json: [String: Any]?
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            if body.isEmpty {
                json = [:]
            } else {
                guard let object = try? JSONSerialization.jsonObject(with: body), let dict = object as? [String: Any] else {
                    throw ServiceError(.badRequest, "the body is not a JSON object")
                }
                json = dict
            }
        }
        return PostedRequest(json: json, body: body, mediaType: mediaType)
    }

    var isXML: Bool { mediaType.hasSuffix("/xml") || mediaType.hasSuffix("+xml") }

    /// `format` (default pdf).
    func format(_ query: String?) throws(ServiceError) -> RenderFormat {
        let raw = (json?["format"] as? String) ?? query ?? "pdf"
        guard let f = RenderFormat(rawValue: raw) else {
            throw ServiceError(.badRequest, "format must be one of pdf, rml, raw; got '\(raw)'")
        }
        return f
    }

    /// `parameters`: an object of scalars, given to the stylesheet as strings.
    func parameters() throws(ServiceError) -> [String: String] {
        guard let value = json?["parameters"] else { return [:] }
        guard let dict = value as? [String: Any] else { throw ServiceError(.badRequest, "parameters must be an object") }
        return try Self.strings(dict, field: "parameters")
    }

    static func strings(_ dict: [String: Any], field: String) throws(ServiceError) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in dict {
            switch v {
            case let s as String: out[k] = s
            case let n as NSNumber:
                out[k] = isBoolean(n) ? (n.boolValue ? "true" : "false") : n.stringValue
            default: throw ServiceError(.badRequest, "\(field).\(k) must be a string, number or boolean")
            }
        }
        return out
    }

    /// `data`: XML or JSON text as a string, or a JSON value (mapped to XML by the engine).
    static func data(_ value: Any, field: String) throws(ServiceError) -> Data {
        if let s = value as? String { return Data(s.utf8) }
        if value is [String: Any] || value is [Any] {
            guard let d = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
                throw ServiceError(.badRequest, "\(field) cannot be serialised")
            }
            return d
        }
        throw ServiceError(.badRequest, "\(field) must be XML text or a JSON object or array")
    }

    /// `ids`: a non-empty array of integers.
    static func ids(_ value: Any, field: String = "ids") throws(ServiceError) -> [Int64] {
        guard let array = value as? [Any], !array.isEmpty else {
            throw ServiceError(.badRequest, "\(field) must be a non-empty array of record ids")
        }
        var out: [Int64] = []
        for v in array {
            guard let n = v as? NSNumber, !isBoolean(n), n.doubleValue == n.doubleValue.rounded() else {
                throw ServiceError(.badRequest, "\(field) must hold integers")
            }
            out.append(n.int64Value)
        }
        return out
    }

    /// Whether a number from JSONSerialization is a JSON boolean.
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }
}
