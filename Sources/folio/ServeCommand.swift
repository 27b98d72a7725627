import ArgumentParser
import FolioServer
import Foundation
import Logging

/// Options `folio serve` and `folio worker` share: the configuration file and what overrides it.
struct ServiceOptions: ParsableArguments {
    @Option(help: "The service's YAML configuration file (see docs/operations.md).")
    var config: String?

    @Option(help: "The folder of installed report packages (default: FOLIO_TEMPLATES, or templates/ of the installation).")
    var templates: String?

    @Option(name: .customLong("db"), help: "PostgreSQL URL records are read from for renders by ids.")
    var database: String?

    @Option(help: "Where jobs are queued: 'embedded' (in process, on disk) or a postgres:// URL shared by every process.")
    var queue: String?

    @Option(name: .customLong("data-dir"), help: "Folder of the embedded queue's jobs and results.")
    var dataDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// The configuration file with the command line's overrides applied.
    func configuration() throws -> ServerConfiguration {
        var c = try config.map { path throws(ServiceError) in try ServerConfiguration.load(path: path) } ?? ServerConfiguration()
        if let t = templates ?? ProcessInfo.processInfo.environment["FOLIO_TEMPLATES"] { c.templates = t }
        if let database { c.database = database }
        if let queue { c.queue = queue }
        if let dataDirectory { c.dataDirectory = dataDirectory }
        return c
    }

    /// Structured logs on stderr: one line per event with its metadata.
    func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "folio")
    }
}

/// Runs async service code from the synchronous command tree.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API and OpenERP's XML-RPC print endpoint (and, with the embedded queue, the job runner).",
        discussion: """
            Prints 'listening on http://HOST:PORT' on stdout once it accepts connections. SIGTERM or SIGINT stop \
            it gracefully: it stops accepting, finishes the renders and jobs under way and exits.
            """)

    @OptionGroup var options: ServiceOptions

    @Option(help: "Address to listen on (beyond loopback, API tokens are required).")
    var host: String?

    @Option(help: "Port to listen on (0: any free port).")
    var port: Int?

    @Option(name: .customLong("token"), help: "An accepted API bearer token (repeatable; FOLIO_API_TOKENS adds more).")
    var tokens: [String] = []

    @Flag(name: .customLong("no-jobs"), help: "Do not run jobs in this process (only accept and serve them).")
    var noJobs = false

    func run() throws {
        var c = try options.configuration()
        if let host { c.host = host }
        if let port { c.port = port }
        c.auth.tokens += tokens
        let logger = options.bootstrapLogging()
        let configuration = c
        let runJobs = !noJobs
        do {
            try runBlocking {
                let service = try FolioService(configuration: configuration, logger: logger)
                try await service.serve(runJobs: runJobs) { port in
                    FileHandle.standardOutput.write(Data("listening on http://\(configuration.host):\(port)\n".utf8))
                }
            }
        } catch let error as ServiceError {
            throw CLIError(error.message)
        }
    }
}
