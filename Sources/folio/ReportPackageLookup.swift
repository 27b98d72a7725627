import FolioReports
import Foundation

/// Finds a report in a package folder for commands that take a package.
enum ReportPackageLookup {
    /// `name` if the package declares it, else the package's first report.
    static func firstReport(in folder: URL, named name: String?) throws -> String {
        let package = try ReportPackage.load(from: folder)
        if let name {
            guard package.manifest.report(named: name) != nil else {
                throw CLIError("package '\(package.name)' declares no report '\(name)' (it has: \(package.manifest.reports.map(\.name).joined(separator: ", ")))")
            }
            return name
        }
        guard let first = package.manifest.reports.first else {
            throw CLIError("package '\(package.name)' declares no report")
        }
        return first.name
    }
}
