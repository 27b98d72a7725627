import FolioRML
import FolioRender
import FolioReports
import Foundation

/// `folio validate`: everything that can be wrong with a report package, found before a user
/// prints — the manifest and its files, the dependencies, the stylesheets, and every report
/// rendered with its sample data (unknown RML elements and attributes, bad values, missing
/// images and fonts, with their places).
public struct PackageValidation: Sendable {
    /// One problem.
    public struct Finding: Sendable, CustomStringConvertible {
        public enum Severity: String, Sendable { case error, warning }
        public var severity: Severity
        public var message: String
        public var location: SourceLocation?
        /// The report it concerns, if any.
        public var report: String?

        public var description: String {
            let place = location.map { "\($0): " } ?? ""
            let about = report.map { " [\($0)]" } ?? ""
            return "\(place)\(severity.rawValue): \(message)\(about)"
        }
    }

    public var package: String
    public var findings: [Finding] = []
    /// Reports rendered with their sample data, with their page counts.
    public var rendered: [(report: String, pages: Int)] = []

    /// Clean: no error and no warning.
    public var isClean: Bool { findings.isEmpty }
    public var errorCount: Int { findings.filter { $0.severity == .error }.count }
}

/// Validates report packages; see `PackageValidation`.
public enum PackageValidator {
    /// Validates the package in `folder`, resolving its dependencies in `repository` (which should
    /// hold the package itself, as installed packages do).
    public static func validate(folder: URL, repository: PackageRepository, settings: RenderSettings) -> PackageValidation {
        var result = PackageValidation(package: folder.lastPathComponent)
        func add(_ severity: PackageValidation.Finding.Severity, _ message: String, _ location: SourceLocation? = nil, report: String? = nil) {
            result.findings.append(.init(severity: severity, message: message, location: location, report: report))
        }
        let package: ReportPackage
        do {
            package = try ReportPackage.load(from: folder)
        } catch {
            add(.error, error.message, error.location)
            return result
        }
        result.package = package.name
        for p in package.problems() {
            let location = p.line.map { SourceLocation(file: p.file, line: $0, column: p.column ?? 1) }
                ?? SourceLocation(file: p.file, line: 1, column: 1)
            add(.error, p.message, location)
        }
        do {
            _ = try repository.dependencies(of: package)
        } catch {
            add(.error, error.message, error.location ?? SourceLocation(file: package.manifestURL.path, line: 1, column: 1))
            return result
        }
        let engine = ReportEngine(repository: repository)
        for report in package.manifest.reports {
            if report.kind != .coded && report.files.sample == nil {
                add(.warning, "no sample data: the report was not rendered", SourceLocation(file: package.manifestURL.path, line: 1, column: 1), report: report.name)
                continue
            }
            if report.kind == .coded && report.files.sample == nil {
                continue
            }
            do {
                // Resolved in the repository: the report must be the one this package declares.
                let resolved = try repository.resolve(report: report.name)
                guard resolved.package.folder.standardizedFileURL.path == package.folder.standardizedFileURL.path else {
                    add(.error, "package '\(resolved.package.name)' also declares report '\(report.name)'", report: report.name)
                    continue
                }
                let generated = try engine.generate(ReportRequest(report: report.name, data: .sample))
                var lenient = settings
                lenient.strict = false
                let rendered = try RenderPipeline.renderPDF(generated, settings: lenient, to: DiscardingSink())
                for d in rendered.diagnostics {
                    add(.warning, d.message, d.location, report: report.name)
                }
                result.rendered.append((report.name, rendered.pages))
            } catch let error as ReportError {
                add(.error, error.message, error.location, report: report.name)
            } catch let failure as RenderFailure {
                for d in failure.diagnostics { add(.warning, d.message, d.location, report: report.name) }
                add(.error, failure.message, failure.location, report: report.name)
            } catch {
                add(.error, "\(error)", report: report.name)
            }
        }
        return result
    }
}

/// An output that throws the bytes away (validation renders).
public final class DiscardingSink: OutputSink {
    public private(set) var byteCount = 0
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        byteCount += bytes.count
        return true
    }
}
