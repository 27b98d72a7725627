import ArgumentParser
import FolioPipeline
import FolioReports
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a report package: manifest, dependencies, stylesheets, and every report rendered with its sample data.",
        discussion: """
            Problems are printed as file:line:column: error|warning: message [report]. Exit status 0 when the \
            package is clean (no error, no warning), 1 otherwise.
            """)

    @Argument(help: "The package folder (e.g. templates/openerp_stock).")
    var package: String

    @Option(help: "The folder of installed packages its dependencies come from (default: the package's parent folder).")
    var templates: String?

    @Option(help: "Folio's fonts folder (default: FOLIO_FONTS, or the fonts/ folder of the installation).")
    var fonts: String?

    func run() throws {
        try exitingOnCLIError {
            let folder = URL(fileURLWithPath: package).standardizedFileURL
            guard FileManager.default.fileExists(atPath: folder.path) else {
                throw CLIError("no package folder at '\(package)'")
            }
            let root = templates.map { URL(fileURLWithPath: $0) } ?? folder.deletingLastPathComponent()
            let settings = try commandLineSettings(fonts: fonts)
            let result = PackageValidator.validate(folder: folder, repository: PackageRepository(root: root), settings: settings)
            for f in result.findings { FileHandle.standardError.write((f.description + "\n").data(using: .utf8)!) }
            let rendered = result.rendered.map { "\($0.report) (\($0.pages) page\($0.pages == 1 ? "" : "s"))" }.joined(separator: ", ")
            let summary = "\(result.package): \(result.errorCount) error\(result.errorCount == 1 ? "" : "s"), "
                + "\(result.findings.count - result.errorCount) warning\(result.findings.count - result.errorCount == 1 ? "" : "s")"
                + (rendered.isEmpty ? "" : "; rendered \(rendered)")
            print(summary)
            if !result.isClean { throw ExitCode(1) }
        }
    }
}
