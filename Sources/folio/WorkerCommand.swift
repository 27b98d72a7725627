import ArgumentParser
import FolioServer
import Foundation

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run jobs from a shared PostgreSQL queue (no HTTP).",
        discussion: """
            Claims queued jobs with FOR UPDATE SKIP LOCKED, holds each with a heartbeat lease, and takes over jobs \
            whose worker stopped renewing its lease. SIGTERM or SIGINT stop it after the record under way.
            """)

    @OptionGroup var options: ServiceOptions

    func run() throws {
        let c = try options.configuration()
        let logger = options.bootstrapLogging()
        do {
            try runBlocking {
                let service = try FolioService(configuration: c, logger: logger)
                try await service.work()
            }
        } catch let error as ServiceError {
            throw CLIError(error.message)
        }
    }
}
