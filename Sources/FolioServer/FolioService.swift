import FolioPipeline
import FolioReports
import Foundation
import Hummingbird
import Logging

/// One Folio service process: the render service and, around it, the HTTP API, OpenERP's
/// XML-RPC print endpoint and the job runner, built from a `ServerConfiguration`.
public final class FolioService: Sendable {
    public let configuration: ServerConfiguration
    public let renders: RenderService
    public let metrics: ServiceMetrics
    public let logger: Logger
    /// OpenERP's `/xmlrpc/report`.
    public let openERP: OpenERPReportService
    /// Where jobs are queued.
    public let jobs: any JobQueue
    public let webhooks: WebhookNotifier

    /// Builds the service: checks the configuration, finds the fonts and packages, starts the
    /// render threads.
    public init(configuration: ServerConfiguration, settings: RenderSettings? = nil,
                observer: (any RenderObserver)? = nil, logger: Logger = Logger(label: "folio")) throws(ServiceError) {
        try configuration.validate()
        guard let settings = settings ?? RenderSettings.standard() else {
            throw ServiceError(.badConfiguration, "cannot find Folio's fonts folder; set FOLIO_FONTS")
        }
        let templates = configuration.templates ?? Self.defaultTemplates()
        guard let templates, FileManager.default.fileExists(atPath: templates) else {
            throw ServiceError(.badConfiguration, "cannot find the report packages folder; set templates in the configuration")
        }
        let engine = ReportEngine(repository: PackageRepository(root: URL(fileURLWithPath: templates)),
                                  databaseURL: configuration.database)
        self.configuration = configuration
        self.metrics = ServiceMetrics()
        self.logger = logger
        let pool = RenderPool(slots: configuration.renderSlots, queueLimit: configuration.limits.queuedRenders)
        self.renders = RenderService(engine: engine, settings: settings, limits: configuration.limits,
                                     metrics: metrics, pool: pool, observer: observer, logger: logger)
        self.openERP = OpenERPReportService(service: renders, credentials: try configuration.xmlrpcCredentials(),
                                            zlib: configuration.xmlrpc.zlib, resultTTL: configuration.xmlrpc.resultTTLSeconds)
        self.webhooks = WebhookNotifier(configuration: configuration.webhooks, logger: logger)
        if configuration.queue == "embedded" {
            self.jobs = try DiskJobQueue(directory: configuration.dataDirectory)
        } else {
            self.jobs = try PostgresJobQueue(url: configuration.queue, leaseSeconds: configuration.jobs.leaseSeconds)
        }
    }

    /// A job runner for this process (`worker` names it in leases and logs).
    public func jobRunner(worker: String = FolioService.workerName()) -> JobRunner {
        JobRunner(queue: jobs, renders: renders, webhooks: webhooks, worker: worker,
                  pollSeconds: configuration.jobs.pollSeconds, logger: logger)
    }

    /// `host:pid:random`, unique per process.
    public static func workerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    /// `templates/` beside or above the executable or the working directory.
    static func defaultTemplates() -> String? {
        var starts = [FileManager.default.currentDirectoryPath]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.insert((exe as NSString).deletingLastPathComponent, at: 0)
        }
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = (dir as NSString).appendingPathComponent("templates")
                if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("base/folio-package.yaml")) {
                    return candidate
                }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        return nil
    }

    /// The router with every route and middleware.
    public func router() -> Router<BasicRequestContext> { routeTable().router }

    /// Every route `router()` answers, in the order registered.
    public var routes: [ServiceRoute] { routeTable().routes }

    /// Registers every route and middleware. Routes go through the table only, never to its
    /// router directly, so that `routes` lists them all.
    private func routeTable() -> RouteTable<BasicRequestContext> {
        let routes = RouteTable(context: BasicRequestContext.self)
        routes.add(middleware: ProblemMiddleware(metrics: metrics))
        if configuration.requiresTokens || !configuration.effectiveTokens.isEmpty {
            routes.add(middleware: BearerAuthMiddleware(tokens: Set(configuration.effectiveTokens)))
        }
        routes.get("/healthz") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        routes.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: OpenAPIDocument.contentType],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        routes.get("/metrics") { _, _ in
            let jobs = self.jobs
            let depth = try? await Blocking.run { () throws(ServiceError) in try jobs.depth() }
            self.metrics.gauges(renderQueue: self.renders.pool.queueDepth, activeRenders: self.renders.pool.active, jobQueue: depth)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: self.metrics.exposition())))
        }
        let responder = RenderResponder(service: renders, retryAfter: configuration.limits.retryAfterSeconds)
        RenderRoutes(service: renders, responder: responder, configuration: configuration).register(on: routes)
        JobRoutes(queue: jobs, webhooks: webhooks, configuration: configuration).register(on: routes)
        if configuration.xmlrpc.enabled {
            let openERP = self.openERP
            let limit = configuration.limits.maxBodyBytes
            for path in ["/xmlrpc/report", "/xmlrpc/2/report"] {
                routes.post(RouterPath(path)) { request, _ -> Response in
                    var request = request
                    let body = try await request.collectBody(upTo: limit)
                    let answer = await openERP.handle(Data(body.readableBytesView))
                    return Response(status: .ok, headers: [.contentType: "text/xml"],
                                    body: .init(byteBuffer: ByteBuffer(bytes: answer)))
                }
            }
        }
        return routes
    }

    /// The HTTP application; `onRunning` gets the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Folio"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                    logger: logger)
    }
}
