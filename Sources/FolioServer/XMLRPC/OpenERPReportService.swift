import CompressNIO
import FolioReports
import Foundation
import NIOCore

/// OpenERP's report service (`/xmlrpc/report`), as its clients call it from 4.0 to 8.0:
///
/// - `report(db, uid, password, report_name, ids, datas, context) -> int` starts a render in the
///   background and returns its id;
/// - `report_get(db, uid, password, id)` answers `{'state': False}` while it runs, then
///   `{'state': True, 'result': <base64, a newline every 76 characters>, 'format': 'pdf'}` (plus
///   `'code': 'zlib'` when compression is on) and forgets the result; a failed render comes back as
///   a fault, another user's id as `AccessDenied`, an unknown one as `ReportNotFound`;
/// - `render_report(...)` renders synchronously and answers like `report_get`.
///
/// Every call is checked against the configured credentials (database, uid, password).
public final class OpenERPReportService: @unchecked Sendable {
    private struct Entry {
        var database: String
        var uid: Int
        var created: Date
        var state: State
    }

    private enum State {
        case running
        case done(Data, format: RenderFormat)
        case failed(ServiceError)
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private var nextID = 1
    private let credentials: [ServerConfiguration.Credential]
    private let service: RenderService
    private let zlib: Bool
    private let ttl: TimeInterval

    public init(service: RenderService, credentials: [ServerConfiguration.Credential], zlib: Bool, resultTTL: TimeInterval) {
        self.service = service; self.credentials = credentials; self.zlib = zlib; self.ttl = resultTTL
    }

    /// Answers one XML-RPC request body.
    public func handle(_ body: Data) async -> Data {
        do {
            let call = try XMLRPCCodec.parseCall(body)
            return XMLRPCCodec.response(try await dispatch(call))
        } catch {
            return XMLRPCCodec.fault(error as? XMLRPCFault ?? XMLRPCFault("InternalError", "\(error)"))
        }
    }

    func dispatch(_ call: XMLRPCCodec.Call) async throws -> XMLRPCValue {
        let p = call.parameters
        switch call.method {
        case "report":
            let (db, uid) = try authenticate(p)
            let request = try printRequest(p)
            return .int(try start(request, database: db, uid: uid))
        case "report_get":
            let (db, uid) = try authenticate(p)
            guard p.count >= 4, let id = p[3].intValue else { throw XMLRPCFault("BadRequest", "report_get(db, uid, password, report_id)") }
            return try fetch(id, database: db, uid: uid)
        case "render_report":
            _ = try authenticate(p)
            let request = try printRequest(p)
            let result: Result<(Data, RenderOutcome), ServiceError> = try await runOnPool(request)
            switch result {
            case .success(let (data, _)): return answer(data, format: request.format)
            case .failure(let e): throw Self.fault(e)
            }
        default:
            throw XMLRPCFault("MethodNotFound", "method '\(call.method)' is not supported by /xmlrpc/report")
        }
    }

    private struct PrintRequest: Sendable {
        var source: RenderSource
        var format: RenderFormat
    }

    private func authenticate(_ p: [XMLRPCValue]) throws(XMLRPCFault) -> (String, Int) {
        guard p.count >= 3, let db = p[0].stringValue, let uid = p[1].intValue, let password = p[2].stringValue else {
            throw XMLRPCFault("AccessDenied", "Access denied")
        }
        var ok = false
        for c in credentials where c.database == db && c.uid == uid && ConstantTime.equal(c.password, password) {
            ok = true
        }
        guard ok else { throw XMLRPCFault("AccessDenied", "Access denied") }
        return (db, uid)
    }

    /// `(db, uid, password, report_name, ids, datas, context)`.
    private func printRequest(_ p: [XMLRPCValue]) throws(XMLRPCFault) -> PrintRequest {
        guard p.count >= 4, let name = p[3].stringValue, !name.isEmpty else {
            throw XMLRPCFault("BadRequest", "report(db, uid, password, report_name, ids, datas, context)")
        }
        var ids: [Int64] = []
        if p.count > 4 {
            switch p[4] {
            case .array(let items):
                for i in items {
                    guard let n = i.intValue else { throw XMLRPCFault("BadRequest", "ids must be integers") }
                    ids.append(Int64(n))
                }
            case .int(let i): ids = [Int64(i)]
            case .bool(false), .null: break
            default: throw XMLRPCFault("BadRequest", "ids must be a list of integers")
            }
        }
        let datas = p.count > 5 ? p[5] : .structure([])
        let context = p.count > 6 ? p[6] : .structure([])
        if ids.isEmpty, case .array(let items)? = datas["ids"] {
            ids = items.compactMap { $0.intValue.map(Int64.init) }
        }
        var format = RenderFormat.pdf
        if let type = datas["report_type"]?.stringValue {
            switch type {
            case "pdf": format = .pdf
            case "raw": format = .raw
            default: throw XMLRPCFault("BadRequest", "report_type '\(type)' is not supported (pdf, raw)")
            }
        }
        var parameters: [String: String] = [:]
        if case .structure(let form)? = datas["form"] {
            for (k, v) in form { if let t = v.scalarText { parameters[k] = t } }
        }
        let language = context["lang"]?.stringValue
        let data: ReportRequest.DataInput = ids.isEmpty ? .sample : .records(ids: ids)
        return PrintRequest(source: .report(ReportRequest(report: name, data: data, parameters: parameters, language: language)),
                            format: format)
    }

    private func start(_ request: PrintRequest, database: String, uid: Int) throws(XMLRPCFault) -> Int {
        lock.lock()
        expire()
        let id = nextID
        nextID += 1
        entries[id] = Entry(database: database, uid: uid, created: Date(), state: .running)
        lock.unlock()
        let service = self.service
        do {
            try service.pool.submit { [self] in
                let state: State
                do throws(ServiceError) {
                    let (data, _) = try service.renderToData(request.source, format: request.format)
                    state = .done(data, format: request.format)
                } catch {
                    state = .failed(error)
                }
                lock.lock()
                entries[id]?.state = state
                lock.unlock()
            }
        } catch {
            lock.lock()
            entries[id] = nil
            lock.unlock()
            throw XMLRPCFault("ServerBusy", "every render slot is busy; retry later")
        }
        return id
    }

    private func fetch(_ id: Int, database: String, uid: Int) throws(XMLRPCFault) -> XMLRPCValue {
        lock.lock()
        defer { lock.unlock() }
        expire()
        guard let entry = entries[id] else { throw XMLRPCFault("ReportNotFound", "Report not found") }
        guard entry.uid == uid && entry.database == database else { throw XMLRPCFault("AccessDenied", "Access denied") }
        switch entry.state {
        case .running:
            return .structure([("state", .bool(false))])
        case .done(let data, let format):
            entries[id] = nil
            return answer(data, format: format)
        case .failed(let error):
            entries[id] = nil
            throw Self.fault(error)
        }
    }

    private func runOnPool(_ request: PrintRequest) async throws(XMLRPCFault) -> Result<(Data, RenderOutcome), ServiceError> {
        let service = self.service
        do {
            return try await service.pool.run { () -> Result<(Data, RenderOutcome), ServiceError> in
                do throws(ServiceError) { return .success(try service.renderToData(request.source, format: request.format)) } catch { return .failure(error) }
            }
        } catch {
            throw XMLRPCFault("ServerBusy", "the server is shutting down")
        }
    }

    /// The `report_get` answer: base64 with a newline every 76 characters (as Python's
    /// `base64.encodestring`), optionally of the zlib-compressed bytes.
    private func answer(_ data: Data, format: RenderFormat) -> XMLRPCValue {
        var payload = data
        var members: [(String, XMLRPCValue)] = [("state", .bool(true))]
        if zlib, let compressed = try? Self.zlibCompress(data) {
            payload = compressed
            members.append(("code", .string("zlib")))
        }
        var text = payload.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        if !text.isEmpty { text += "\n" }
        members.append(("result", .string(text)))
        members.append(("format", .string(format == .pdf ? "pdf" : "raw")))
        return .structure(members)
    }

    static func zlibCompress(_ data: Data) throws -> Data {
        var input = ByteBuffer(bytes: data)
        let compressor = CompressionAlgorithm.zlib().compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
        try compressor.streamDeflate(from: &input, to: &output, flush: .finish)
        return Data(output.readableBytesView)
    }

    private static func fault(_ error: ServiceError) -> XMLRPCFault {
        XMLRPCFault(error.code.rawValue, error.description)
    }

    /// Drops results nobody fetched in time (called with the lock held).
    private func expire() {
        let limit = Date().addingTimeInterval(-ttl)
        entries = entries.filter { _, e in
            if case .running = e.state { return true }
            return e.created > limit
        }
    }
}
