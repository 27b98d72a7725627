import Foundation
import Yams

/// Everything a Folio service process is configured with: where it listens, who may call it, what
/// it renders from, how much work it takes on, and where jobs are queued.
///
/// Read from a YAML file (`folio serve --config FILE`, documented in `docs/operations.md` and
/// `samples/folio-server.yaml`); every key is optional and command-line options override the file.
public struct ServerConfiguration: Codable, Sendable {
    /// Address to listen on. Anything but loopback requires bearer tokens unless `auth.required`
    /// is set to false explicitly.
    public var host: String = "127.0.0.1"
    /// Port to listen on (0: any free port, printed at start).
    public var port: Int = 8080
    /// Folder of installed report packages (default: `templates/` of the installation).
    public var templates: String?
    /// PostgreSQL URL records are read from for renders by ids.
    public var database: String?
    /// Folder for the embedded queue's jobs and results (default: `folio-data` in the working
    /// directory).
    public var dataDirectory: String = "folio-data"
    /// Where jobs are queued: `embedded` (in process, on disk under `dataDirectory`) or a
    /// `postgres://` / `postgresql://` URL shared by every `folio serve` and `folio worker`.
    public var queue: String = "embedded"

    public var auth = Auth()
    public var limits = Limits()
    public var adHoc = AdHoc()
    public var webhooks = Webhooks()
    public var xmlrpc = XMLRPC()
    public var jobs = Jobs()

    /// Bearer tokens for the HTTP API.
    public struct Auth: Codable, Sendable {
        /// Accepted tokens. `FOLIO_API_TOKENS` (comma-separated) adds more.
        public var tokens: [String] = []
        /// Whether requests need a token; nil: required unless listening on loopback only.
        public var required: Bool?
        public init() {}
    }

    /// Bounds on what one request and the whole process take on.
    public struct Limits: Codable, Sendable {
        /// Largest request body accepted, in bytes (413 beyond).
        public var maxBodyBytes: Int = 16 << 20
        /// Renders running at once (threads off the event loop); default: the number of cores.
        public var concurrentRenders: Int?
        /// Renders waiting for a free slot before new ones are answered 429.
        public var queuedRenders: Int = 32
        /// Wall-clock limit of one render, in seconds.
        public var renderSeconds: Double = 120
        /// Most pages one render may produce.
        public var maxPages: Int = 5000
        /// Seconds a 429 answer asks the client to wait (`Retry-After`).
        public var retryAfterSeconds: Int = 2
        public init() {}
    }

    /// Ad-hoc renders of posted RML, or of a posted stylesheet with data.
    public struct AdHoc: Codable, Sendable {
        public var enabled: Bool = true
        public init() {}
    }

    /// Completion callbacks of jobs.
    public struct Webhooks: Codable, Sendable {
        /// Hosts (exact names, or `*.example.com`) webhooks may be sent to; empty: none allowed.
        public var allowedHosts: [String] = []
        /// Attempts before giving up.
        public var attempts: Int = 5
        /// Seconds before the first retry; doubled each time.
        public var retryDelaySeconds: Double = 1
        public init() {}
    }

    /// OpenERP's `/xmlrpc/report` endpoint.
    public struct XMLRPC: Codable, Sendable {
        public var enabled: Bool = true
        /// Accepted (database, uid, password) triples.
        public var credentials: [Credential] = []
        /// A YAML file holding more `credentials` (a list), so secrets can live apart from the config.
        public var credentialsFile: String?
        /// Compress results with zlib (`'code': 'zlib'` in `report_get`'s answer).
        public var zlib: Bool = false
        /// Seconds an unfetched result is kept.
        public var resultTTLSeconds: Double = 3600
        public init() {}
    }

    /// One account allowed to print through XML-RPC.
    public struct Credential: Codable, Sendable, Equatable {
        public var database: String
        public var uid: Int
        public var password: String
        public init(database: String, uid: Int, password: String) {
            self.database = database; self.uid = uid; self.password = password
        }
    }

    /// Job processing.
    public struct Jobs: Codable, Sendable {
        /// Seconds a claimed job's lease lasts without a heartbeat (PostgreSQL queue).
        public var leaseSeconds: Double = 15
        /// Seconds between heartbeats and between polls for new jobs.
        public var pollSeconds: Double = 0.5
        /// Largest number of records in one batch.
        public var maxRecords: Int = 10_000
        public init() {}
    }

    public init() {}

    /// Reads a YAML configuration file.
    public static func load(path: String) throws(ServiceError) -> ServerConfiguration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError(.badConfiguration, "cannot read the configuration file '\(path)'")
        }
        return try parse(yaml: text, name: path)
    }

    /// Parses YAML configuration text. Keys left out keep their defaults; unknown keys are errors
    /// (a misspelt limit must not silently fall back to its default).
    public static func parse(yaml text: String, name: String = "configuration") throws(ServiceError) -> ServerConfiguration {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch {
            throw ServiceError(.badConfiguration, "\(name): not valid YAML: \(error)")
        }
        guard let loaded else { return ServerConfiguration() }
        guard let given = loaded as? [String: Any] else {
            throw ServiceError(.badConfiguration, "\(name): expected a mapping of settings at the top level")
        }
        do {
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ServerConfiguration())) as? [String: Any] ?? [:]
            let merged = try merge(given, over: defaults, path: [], name: name)
            let json = try JSONSerialization.data(withJSONObject: merged)
            return try JSONDecoder().decode(ServerConfiguration.self, from: json)
        } catch let error as ServiceError {
            throw error
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw ServiceError(.badConfiguration, "\(name): wrong type at \(Self.path(ctx.codingPath)): \(ctx.debugDescription)")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw ServiceError(.badConfiguration, "\(name): invalid value at \(Self.path(ctx.codingPath)): \(ctx.debugDescription)")
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw ServiceError(.badConfiguration, "\(name): missing '\(key.stringValue)' at \(Self.path(ctx.codingPath))")
        } catch {
            throw ServiceError(.badConfiguration, "\(name): \(error)")
        }
    }

    /// Settings that have no default value (absent from the encoded defaults).
    private static let optionalKeys: Set<String> = [
        "templates", "database", "auth.required", "limits.concurrentRenders", "xmlrpc.credentialsFile",
    ]

    private static func merge(_ given: [String: Any], over defaults: [String: Any], path: [String], name: String) throws -> [String: Any] {
        var result = defaults
        for (key, value) in given {
            let keyPath = (path + [key]).joined(separator: ".")
            if let sub = defaults[key] as? [String: Any] {
                guard let subGiven = value as? [String: Any] else {
                    throw ServiceError(.badConfiguration, "\(name): '\(keyPath)' must be a mapping")
                }
                result[key] = try merge(subGiven, over: sub, path: path + [key], name: name)
            } else if defaults[key] != nil || optionalKeys.contains(keyPath) {
                result[key] = jsonCompatible(value)
            } else {
                throw ServiceError(.badConfiguration, "\(name): unknown setting '\(keyPath)'")
            }
        }
        return result
    }

    /// YAML scalars as JSON values (dates and other YAML-only types become strings).
    private static func jsonCompatible(_ value: Any) -> Any {
        switch value {
        case let d as [String: Any]: return d.mapValues(jsonCompatible)
        case let a as [Any]: return a.map(jsonCompatible)
        case is String, is Int, is Double, is Bool: return value
        case is NSNull: return NSNull()
        default: return "\(value)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map(\.stringValue).joined(separator: ".")
    }

    /// Whether `host` accepts connections from other machines.
    public var listensBeyondLoopback: Bool {
        !["127.0.0.1", "::1", "localhost"].contains(host)
    }

    /// Tokens from the file and from `FOLIO_API_TOKENS`.
    public var effectiveTokens: [String] {
        let env = ProcessInfo.processInfo.environment["FOLIO_API_TOKENS"]?
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        return auth.tokens + env
    }

    /// Whether API requests need a bearer token.
    public var requiresTokens: Bool { auth.required ?? listensBeyondLoopback }

    /// Renders running at once.
    public var renderSlots: Int { max(1, limits.concurrentRenders ?? ProcessInfo.processInfo.activeProcessorCount) }

    /// The XML-RPC credentials, from the file and `credentialsFile`.
    public func xmlrpcCredentials() throws(ServiceError) -> [Credential] {
        guard let file = xmlrpc.credentialsFile else { return xmlrpc.credentials }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ServiceError(.badConfiguration, "cannot read the credentials file '\(file)'")
        }
        do {
            return xmlrpc.credentials + (try YAMLDecoder().decode([Credential].self, from: text))
        } catch {
            throw ServiceError(.badConfiguration, "\(file): expected a list of {database, uid, password}: \(error)")
        }
    }

    /// Checks values that would make the service misbehave.
    public func validate() throws(ServiceError) {
        if requiresTokens && effectiveTokens.isEmpty {
            throw ServiceError(.badConfiguration, "listening on \(host) requires API tokens: set auth.tokens or FOLIO_API_TOKENS (or auth.required: false)")
        }
        if limits.maxBodyBytes < 1 || limits.queuedRenders < 0 || limits.maxPages < 1 || limits.renderSeconds <= 0 {
            throw ServiceError(.badConfiguration, "limits must be positive")
        }
        if !(queue == "embedded" || queue.hasPrefix("postgres://") || queue.hasPrefix("postgresql://")) {
            throw ServiceError(.badConfiguration, "queue must be 'embedded' or a postgres:// URL, got '\(queue)'")
        }
    }
}
