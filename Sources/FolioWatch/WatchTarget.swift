import FolioPipeline
import FolioReports
import Foundation

/// What `folio watch` renders, and the files whose changes trigger a new render.
public enum WatchTarget: Sendable {
    /// An RML file (images and fonts resolved beside it and along the search paths).
    case rml(path: String)
    /// Data through an XSL:RML stylesheet; imports and `document()` confined to `sandbox`.
    case stylesheet(path: String, data: String, sandbox: String)
    /// A report of a package in `repository`, with posted data or the package's sample.
    case report(name: String, repository: String, data: String?)

    /// Folders watched recursively and single files watched, for this target.
    public func watchedPaths(extra: [String] = []) -> (folders: [String], files: [String]) {
        switch self {
        case .rml(let path):
            let dir = (path as NSString).deletingLastPathComponent
            return ([dir.isEmpty ? "." : dir] + extra, [path])
        case .stylesheet(let path, let data, let sandbox):
            return ([sandbox] + extra, [path, data])
        case .report(_, let repository, let data):
            return ([repository] + extra, data.map { [$0] } ?? [])
        }
    }

    /// A short label for the page title.
    public var label: String {
        switch self {
        case .rml(let path): return (path as NSString).lastPathComponent
        case .stylesheet(let path, let data, _): return "\((path as NSString).lastPathComponent) + \((data as NSString).lastPathComponent)"
        case .report(let name, _, _): return name
        }
    }
}
