import Foundation
import Hummingbird
import ServiceLifecycle

extension FolioService {
    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: no new connections, requests
    /// under way answered, renders finished, the job runner stopped between records (its job
    /// stays queued with its checkpoints and is resumed by the next process).
    public func serve(runJobs: Bool = true, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = application(onRunning: onRunning)
        var services: [any Service] = [app]
        if runJobs { services.append(jobRunner()) }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        renders.pool.drain()
    }
}

extension FolioService {
    /// Runs jobs only (`folio worker`) until SIGTERM or SIGINT.
    public func work() async throws {
        guard configuration.queue != "embedded" else {
            throw ServiceError(.badConfiguration, "folio worker needs a PostgreSQL queue (--queue postgres://…); the embedded queue runs inside folio serve")
        }
        let group = ServiceGroup(configuration: .init(services: [jobRunner()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        renders.pool.drain()
    }
}
