import ArgumentParser
import FolioPipeline
import FolioWatch
import Foundation
import Logging

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview a report in the browser, re-rendered whenever one of its files changes.",
        discussion: """
            folio watch report.rml
            folio watch report.xsl --data data.xml [--sandbox DIR]
            folio watch templates/openerp_stock [--report stock.picking.list] [--data data.xml]
            Prints 'preview at http://127.0.0.1:PORT/' once the page is served (loopback only). Errors show \
            in the page with their file, line and column while the last good render stays visible.
            """)

    @Argument(help: "An RML file, an XSL stylesheet (with --data), or a report package folder.")
    var target: String

    @Option(help: "The package's report to show (default: its first report).")
    var report: String?

    @Option(help: "Data for a stylesheet or package report (XML or JSON; default for packages: the sample).")
    var data: String?

    @Option(help: "Folder a stylesheet may read imports and documents from (default: its own folder).")
    var sandbox: String?

    @Option(help: "The folder of installed packages the package's dependencies come from (default: the package's parent).")
    var templates: String?

    @Option(help: "Port to serve the preview on (0: any free port).")
    var port: Int = 8790

    @Option(help: "Resolution of the page images, in dots per inch.")
    var dpi: Double = 96

    @Option(name: .customLong("resource-path"), help: "A folder searched for images and fonts (repeatable).")
    var resourcePaths: [String] = []

    @Option(help: "Folio's fonts folder (default: FOLIO_FONTS, or the fonts/ folder of the installation).")
    var fonts: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard dpi >= 20 && dpi <= 300 else { throw ValidationError("--dpi must be between 20 and 300") }
    }

    func watchTarget() throws -> WatchTarget {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
            throw CLIError("no such file or folder: '\(target)'")
        }
        let absolute = URL(fileURLWithPath: target).standardizedFileURL
        if isDirectory.boolValue {
            let package = try ReportPackageLookup.firstReport(in: absolute, named: report)
            let root = templates.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? absolute.deletingLastPathComponent().path
            return .report(name: package, repository: root, data: data.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        }
        if absolute.pathExtension.lowercased() == "xsl" || absolute.pathExtension.lowercased() == "xslt" {
            guard let data else { throw ValidationError("a stylesheet needs --data") }
            return .stylesheet(path: absolute.path, data: URL(fileURLWithPath: data).standardizedFileURL.path,
                               sandbox: sandbox.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? absolute.deletingLastPathComponent().path)
        }
        return .rml(path: absolute.path)
    }

    func run() throws {
        try exitingOnCLIError {
            let target = try watchTarget()
            var settings = try commandLineSettings(fonts: fonts)
            settings.searchPaths = resourcePaths
            let paths = target.watchedPaths(extra: resourcePaths)
            LoggingSystem.bootstrap { label in
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = .info
                return h
            }
            let server = PreviewServer(renderer: PreviewRenderer(target: target, settings: settings, dpi: dpi),
                                       watcher: FileWatcher(folders: paths.folders, files: paths.files),
                                       logger: Logger(label: "folio.watch"))
            let port = self.port
            try runBlocking {
                try await server.run(host: "127.0.0.1", port: port) { bound in
                    FileHandle.standardOutput.write("preview at http://127.0.0.1:\(bound)/\n".data(using: .utf8)!)
                }
            }
        }
    }
}
