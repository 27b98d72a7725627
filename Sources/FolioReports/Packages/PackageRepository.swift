import FolioRML
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A report as resolved in a repository: its package, its declaration, and where its resources
/// are looked up.
public struct ResolvedReport: Sendable {
    /// A font available to the report, from its package or a dependency.
    public struct Font: Sendable, Equatable {
        public var name: String
        public var url: URL
        public var package: String
    }

    public let package: ReportPackage
    public let report: PackageManifest.Report
    /// The dependencies, transitively, nearest first (breadth-first, by name within a level).
    public let dependencies: [ReportPackage]
    /// The repository the report was resolved in.
    public let repositoryRoot: URL

    /// The folder to confine the XSLT stage to (`Stylesheet`'s sandbox): the repository root,
    /// since stylesheets import their dependencies' files as `../../base/xsl/page.xsl`.
    public var sandbox: URL { repositoryRoot }

    /// The package folder, then its dependencies' folders: where fonts, images and stylesheets
    /// referenced by the report are looked up.
    public var searchPath: [URL] { [package.folder] + dependencies.map(\.folder) }

    /// The first file at `relativePath` along the search path.
    public func file(_ relativePath: String) -> URL? {
        guard PackageManifest.pathProblem(relativePath) == nil else { return nil }
        for dir in searchPath {
            let u = dir.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        return nil
    }

    /// The stylesheet: the declared one, or for a custom table report without one, the `base`
    /// package's `xsl/custom_table.xsl` found along the search path.
    public var stylesheetURL: URL? {
        if let s = report.files.stylesheet { return package.url(for: s) }
        if report.kind == .custom { return file(PackageRepository.customTableStylesheet) }
        return nil
    }
    public var templateURL: URL? { report.files.template.map(package.url(for:)) }
    public var definitionURL: URL? { report.files.definition.map(package.url(for:)) }
    public var sampleURL: URL? { report.files.sample.map(package.url(for:)) }
    public var modelsURL: URL? { report.files.models.map(package.url(for:)) }

    /// The custom report definition (kind `custom`).
    public func definition() throws(ReportError) -> CustomReportDefinition {
        guard let u = definitionURL else {
            throw ReportError(.definition, "report '\(report.name)' (package '\(package.name)') has no definition")
        }
        return try ReportPackage.decodeDefinition(at: u)
    }

    /// Every font of the package and its dependencies; when two declare the same RML name the
    /// nearest wins.
    public var fonts: [Font] {
        var seen = Set<String>(), out: [Font] = []
        for p in [package] + dependencies {
            for f in p.manifest.fonts where seen.insert(f.name).inserted {
                out.append(Font(name: f.name, url: p.url(for: f.file), package: p.name))
            }
        }
        return out
    }

    /// Images by name, nearest package first.
    public var images: [String: URL] {
        var out: [String: URL] = [:]
        for p in ([package] + dependencies).reversed() {
            for img in p.manifest.images { out[img.key] = p.url(for: img.file) }
        }
        return out
    }

    /// The translation catalogues for a language (`fr_BE` falls back to `fr`), nearest first.
    public func translations(for language: String) -> [URL] {
        var langs = [language]
        if let base = language.split(separator: "_").first, base.count != language.count { langs.append(String(base)) }
        var out: [URL] = []
        for p in [package] + dependencies {
            for l in langs { if let f = p.manifest.translations[l] { out.append(p.url(for: f)) } }
        }
        return out
    }
}

/// A folder of installed report packages, one sub-folder per package named after it
/// (`<root>/base/folio-package.yaml`). Hidden entries (`.staging-…`) are Folio's own and are
/// ignored when listing.
///
/// `install` and `remove` hold an exclusive `flock` on the repository folder, stage their work in
/// a hidden folder inside it, and commit with a single `rename`, so readers see either the old or
/// the new set of packages and a failure leaves the folder as it was.
public struct PackageRepository: Sendable {
    public let root: URL

    /// Where custom table reports find their stylesheet along the search path (in `base`).
    public static let customTableStylesheet = "xsl/custom_table.xsl"

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Installed packages, sorted by name. Folders whose manifest cannot be read are left out
    /// (`check()` reports them).
    public func list() throws(ReportError) -> [ReportPackage] {
        try scan().packages
    }

    /// The installed package with this name.
    public func package(named name: String) throws(ReportError) -> ReportPackage {
        let s = try scan()
        if let p = s.packages.first(where: { $0.name == name }) { return p }
        if let broken = s.failures.first(where: { $0.folder.lastPathComponent == name }) {
            throw ReportError(.package, "package '\(name)' is installed but cannot be read: \(broken.error.description)")
        }
        throw ReportError(.notFound, "package '\(name)' is not installed in \(root.path)")
    }

    // MARK: scanning

    struct Scan {
        var packages: [ReportPackage] = []
        var failures: [(folder: URL, error: ReportError)] = []
        var nonPackages: [URL] = []
        var staging: [URL] = []
    }

    func scan() throws(ReportError) -> Scan {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw ReportError(.package, "package repository '\(root.path)' does not exist or is not a folder")
        }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: root.path).sorted() } catch {
            throw ReportError(.package, "cannot list package repository '\(root.path)': \(error.localizedDescription)")
        }
        var s = Scan()
        for n in names {
            let url = root.appendingPathComponent(n)
            if n.hasPrefix(".") {
                if n.hasPrefix(".staging-") || n.hasPrefix(".removing-") { s.staging.append(url) }
                continue
            }
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else { continue }
            guard fm.fileExists(atPath: url.appendingPathComponent(PackageManifest.fileName).path) else {
                s.nonPackages.append(url)
                continue
            }
            do { s.packages.append(try ReportPackage.load(from: url)) } catch { s.failures.append((url, error)) }
        }
        s.packages.sort { $0.name < $1.name }
        return s
    }

    // MARK: checking

    /// Everything wrong with the installed set: unreadable manifests, folder/name mismatches,
    /// packages installed twice, per-package problems (files, XML, definitions, fonts), missing
    /// or out-of-range dependencies, dependency cycles, report names declared by two packages,
    /// leftovers of interrupted installs.
    public func check() -> [PackageProblem] {
        let s: Scan
        do { s = try scan() } catch { return [PackageProblem(package: nil, file: root.path, message: error.message)] }
        var out: [PackageProblem] = []
        for f in s.failures {
            out.append(PackageProblem(package: f.folder.lastPathComponent, error: f.error,
                                      file: f.folder.appendingPathComponent(PackageManifest.fileName).path))
        }
        for u in s.nonPackages {
            out.append(PackageProblem(package: nil, file: u.path, message: "folder has no \(PackageManifest.fileName); it is not a package"))
        }
        for u in s.staging {
            out.append(PackageProblem(package: nil, file: u.path, message: "leftover of an interrupted install or removal; delete it"))
        }
        var byName: [String: [ReportPackage]] = [:]
        for p in s.packages { byName[p.name, default: []].append(p) }
        for p in s.packages {
            let mf = p.manifestURL.path
            if p.folder.lastPathComponent != p.name {
                out.append(PackageProblem(package: p.name, file: mf, message: "package '\(p.name)' is installed in folder '\(p.folder.lastPathComponent)'; the folder must be named after the package"))
            }
            if let all = byName[p.name], all.count > 1, all.first?.folder != p.folder {
                out.append(PackageProblem(package: p.name, file: mf, message: "package '\(p.name)' is installed twice (also in \(all[0].folder.path))"))
            }
            out += p.problems()
            for (dep, range) in p.manifest.depends.sorted(by: { $0.key < $1.key }) {
                if let e = dependencyError(of: p, on: dep, range: range, in: byName, failures: s.failures) {
                    out.append(PackageProblem(package: p.name, file: mf, message: e.message))
                }
            }
        }
        for cycle in cycles(in: byName) {
            let first = byName[cycle[0]]![0]
            out.append(PackageProblem(package: first.name, file: first.manifestURL.path, message: "dependency cycle: \(cycle.joined(separator: " → ")) → \(cycle[0])"))
        }
        for (report, owners) in reportOwners(s.packages) where owners.count > 1 {
            let p = owners[1]
            out.append(PackageProblem(package: p.name, file: p.manifestURL.path,
                                      message: "report '\(report)' is declared by packages \(owners.map { "'\($0.name)'" }.joined(separator: " and "))"))
        }
        return out
    }

    private func reportOwners(_ packages: [ReportPackage]) -> [(String, [ReportPackage])] {
        var owners: [String: [ReportPackage]] = [:]
        for p in packages { for r in Set(p.manifest.reports.map(\.name)) { owners[r, default: []].append(p) } }
        return owners.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private func dependencyError(of p: ReportPackage, on dep: String, range: VersionRange,
                                 in byName: [String: [ReportPackage]], failures: [(folder: URL, error: ReportError)]) -> ReportError? {
        guard let d = byName[dep]?.first else {
            if failures.contains(where: { $0.folder.lastPathComponent == dep }) {
                return ReportError(.package, "package '\(p.name)' \(p.version) depends on '\(dep)' (\(range)), which is installed but whose manifest cannot be read")
            }
            return ReportError(.package, "package '\(p.name)' \(p.version) depends on '\(dep)' (\(range)), which is not installed")
        }
        if !range.contains(d.version) {
            return ReportError(.package, "package '\(p.name)' \(p.version) depends on '\(dep)' \(range), but '\(dep)' \(d.version) is installed")
        }
        return nil
    }

    /// Every elementary dependency cycle, each once, starting at its smallest name.
    private func cycles(in byName: [String: [ReportPackage]]) -> [[String]] {
        var found = Set<[String]>()
        var result: [[String]] = []
        func visit(_ name: String, _ path: [String]) {
            if let i = path.firstIndex(of: name) {
                var c = Array(path[i...])
                let m = c.firstIndex(of: c.min()!)!
                c = Array(c[m...] + c[..<m])
                if found.insert(c).inserted { result.append(c) }
                return
            }
            guard let p = byName[name]?.first else { return }
            for dep in p.manifest.depends.keys.sorted() { visit(dep, path + [name]) }
        }
        for name in byName.keys.sorted() { visit(name, []) }
        return result
    }

    // MARK: resolution

    /// The package declaring `report`, the declaration, and the dependencies that give the
    /// resource search path. Fails when no package or two packages declare the report, or when a
    /// dependency is missing, out of range or part of a cycle.
    public func resolve(report name: String) throws(ReportError) -> ResolvedReport {
        let s = try scan()
        let owners = s.packages.filter { $0.manifest.report(named: name) != nil }
        guard let owner = owners.first else {
            throw ReportError(.notFound, "no installed package declares report '\(name)'")
        }
        if owners.count > 1 {
            throw ReportError(.package, "report '\(name)' is declared by packages \(owners.map { "'\($0.name)'" }.joined(separator: " and ")); remove one of them")
        }
        let deps = try dependencies(of: owner, among: s.packages, failures: s.failures)
        return ResolvedReport(package: owner, report: owner.manifest.report(named: name)!, dependencies: deps, repositoryRoot: root)
    }

    /// The transitive dependencies of an installed package, nearest first.
    public func dependencies(of package: ReportPackage) throws(ReportError) -> [ReportPackage] {
        let s = try scan()
        return try dependencies(of: package, among: s.packages, failures: s.failures)
    }

    func dependencies(of package: ReportPackage, among packages: [ReportPackage],
                      failures: [(folder: URL, error: ReportError)]) throws(ReportError) -> [ReportPackage] {
        var byName: [String: [ReportPackage]] = [:]
        for p in packages where p.name != package.name { byName[p.name, default: []].append(p) }
        byName[package.name] = [package]
        // Depth-first, to find a cycle with its path.
        var done = Set<String>()
        func visit(_ p: ReportPackage, _ path: [String]) throws(ReportError) {
            if let i = path.firstIndex(of: p.name) {
                let cycle = path[i...] + [p.name]
                throw ReportError(.package, "dependency cycle: \(cycle.joined(separator: " → "))")
            }
            if done.contains(p.name) { return }
            for (dep, range) in p.manifest.depends.sorted(by: { $0.key < $1.key }) {
                if let e = dependencyError(of: p, on: dep, range: range, in: byName, failures: failures) { throw e }
                try visit(byName[dep]![0], path + [p.name])
            }
            done.insert(p.name)
        }
        try visit(package, [])
        // Breadth-first for the search order.
        var order: [ReportPackage] = []
        var seen: Set<String> = [package.name]
        var queue = [package]
        while !queue.isEmpty {
            let p = queue.removeFirst()
            for dep in p.manifest.depends.keys.sorted() where seen.insert(dep).inserted {
                let d = byName[dep]![0]
                order.append(d)
                queue.append(d)
            }
        }
        return order
    }

    // MARK: pack

    /// Writes the package in `folder` as one archive (see `PackageArchive`). The package must be
    /// free of problems; hidden files and folders (`.git`, `.DS_Store`) are left out; symbolic
    /// links are refused. The archive is written to a temporary file and renamed into place.
    public static func pack(_ folder: URL, to archive: URL) throws(ReportError) {
        let package = try ReportPackage.load(from: folder)
        let problems = package.problems()
        if let first = problems.first {
            throw ReportError(.package, "cannot pack '\(package.name)': \(problems.count) problem(s); first: \(first)")
        }
        let fm = FileManager.default
        let base = package.folder
        var entries: [PackageArchive.Entry] = [PackageArchive.Entry(path: package.name, isDirectory: true)]
        var files: [PackageArchive.Entry] = []
        func walk(_ dir: URL, _ rel: String) throws(ReportError) {
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: dir.path).sorted() } catch {
                throw ReportError(.package, "cannot read '\(dir.path)': \(error.localizedDescription)")
            }
            for n in names where !n.hasPrefix(".") {
                let u = dir.appendingPathComponent(n)
                let r = rel.isEmpty ? n : rel + "/" + n
                let attrs = try? fm.attributesOfItem(atPath: u.path)
                let type = attrs?[.type] as? FileAttributeType
                if type == .typeSymbolicLink {
                    throw ReportError(.package, "cannot pack '\(u.path)': symbolic links are not allowed in packages")
                } else if type == .typeDirectory {
                    files.append(PackageArchive.Entry(path: package.name + "/" + r, isDirectory: true))
                    try walk(u, r)
                } else if type == .typeRegular {
                    guard let data = fm.contents(atPath: u.path) else { throw ReportError(.package, "cannot read '\(u.path)'") }
                    files.append(PackageArchive.Entry(path: package.name + "/" + r, isDirectory: false, data: data))
                } else {
                    throw ReportError(.package, "cannot pack '\(u.path)': only files and folders are allowed")
                }
            }
        }
        try walk(base, "")
        let manifestPath = package.name + "/" + PackageManifest.fileName
        entries += files.filter { $0.path == manifestPath }
        entries += files.filter { $0.path != manifestPath }.sorted { $0.path < $1.path }
        let data = try PackageArchive.write(entries)
        let tmp = archive.deletingLastPathComponent().appendingPathComponent(".\(archive.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: tmp)
            // rename(2) replaces an existing archive atomically.
            guard rename(tmp.path, archive.path) == 0 else {
                throw ReportError(.package, String(cString: strerror(errno)))
            }
        } catch {
            try? fm.removeItem(at: tmp)
            throw ReportError(.package, "cannot write '\(archive.path)': \((error as? ReportError)?.message ?? error.localizedDescription)")
        }
    }

    // MARK: install

    /// Installs the package in `archive`. Everything is verified first — archive paths and entry
    /// types, manifest, files, dependencies (present, in range, no cycle), report names not
    /// declared by another installed package, and when `replacing` an installed version, that
    /// the packages depending on it still accept the new version — in a hidden staging folder
    /// inside the repository; the package is then moved into place with one `rename`. On any
    /// failure the repository is left exactly as it was.
    @discardableResult
    public func install(_ archive: URL, replacing: Bool = false) throws(ReportError) -> ReportPackage {
        guard let data = FileManager.default.contents(atPath: archive.path) else {
            throw ReportError(.package, "cannot read archive '\(archive.path)'")
        }
        let label = archive.lastPathComponent
        let entries = try PackageArchive.read(data, label: label)
        // One top folder holding the manifest.
        guard let top = entries.first?.path.split(separator: "/").first.map(String.init) else {
            throw ReportError(.package, "\(label): the archive is empty")
        }
        for e in entries where e.path != top && !e.path.hasPrefix(top + "/") {
            throw ReportError(.package, "\(label): entry '\(e.path)' is outside the package folder '\(top)/'")
        }
        if entries.first(where: { $0.path == top })?.isDirectory == false {
            throw ReportError(.package, "\(label): '\(top)' must be a folder")
        }
        guard entries.contains(where: { $0.path == top + "/" + PackageManifest.fileName && !$0.isDirectory }) else {
            throw ReportError(.package, "\(label): no \(top)/\(PackageManifest.fileName) in the archive")
        }
        guard PackageManifest.isValidPackageName(top) else {
            throw ReportError(.package, "\(label): top folder '\(top)' is not a valid package name")
        }

        return try withLock { () throws(ReportError) -> ReportPackage in
            let fm = FileManager.default
            let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
            do { try fm.createDirectory(at: staging, withIntermediateDirectories: false) } catch {
                throw ReportError(.package, "cannot create a staging folder in '\(root.path)': \(error.localizedDescription)")
            }
            defer { try? fm.removeItem(at: staging) }
            // Extract: folders first (sorted so parents come before children), then files.
            for e in entries.filter(\.isDirectory).sorted(by: { $0.path < $1.path }) {
                do { try fm.createDirectory(at: staging.appendingPathComponent(e.path), withIntermediateDirectories: true) } catch {
                    throw ReportError(.package, "\(label): cannot extract '\(e.path)': \(error.localizedDescription)")
                }
            }
            for e in entries where !e.isDirectory {
                let u = staging.appendingPathComponent(e.path)
                do {
                    try fm.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                    guard !fm.fileExists(atPath: u.path) else { throw ReportError(.package, "conflicting entries") }
                    try e.data.write(to: u)
                } catch {
                    throw ReportError(.package, "\(label): cannot extract '\(e.path)': \(error)")
                }
            }
            let stagedFolder = staging.appendingPathComponent(top)
            let staged: ReportPackage
            do throws(ReportError) { staged = try ReportPackage.load(from: stagedFolder) } catch {
                throw relabel(error, staging: stagedFolder, label: label, top: top)
            }
            if staged.name != top {
                throw ReportError(.package, "\(label): the manifest names package '\(staged.name)' but the archive folder is '\(top)/'")
            }
            if let first = staged.problems().first {
                throw relabel(first.error, staging: stagedFolder, label: label, top: top)
            }
            // Against the installed set.
            let s = try scan()
            let target = root.appendingPathComponent(staged.name)
            let existing = s.packages.first { $0.name == staged.name }
            if let existing, !replacing {
                throw ReportError(.package, "package '\(staged.name)' \(existing.version) is already installed; install with replacing to upgrade it to \(staged.version)")
            }
            if existing == nil && fm.fileExists(atPath: target.path) {
                throw ReportError(.package, "cannot install '\(staged.name)': '\(target.path)' exists and is not an installed package")
            }
            let others = s.packages.filter { $0.name != staged.name }
            _ = try dependencies(of: staged, among: others + [staged], failures: s.failures)
            for p in others {
                if let range = p.manifest.depends[staged.name], !range.contains(staged.version) {
                    throw ReportError(.package, "installing '\(staged.name)' \(staged.version) would break '\(p.name)', which depends on '\(staged.name)' \(range)")
                }
                for r in staged.manifest.reports where p.manifest.report(named: r.name) != nil {
                    throw ReportError(.package, "report '\(r.name)' of package '\(staged.name)' is already declared by installed package '\(p.name)'")
                }
            }
            // Commit.
            if existing != nil {
                let old = staging.appendingPathComponent(".previous")
                do { try fm.moveItem(at: target, to: old) } catch {
                    throw ReportError(.package, "cannot replace '\(target.path)': \(error.localizedDescription)")
                }
                do { try fm.moveItem(at: stagedFolder, to: target) } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw ReportError(.package, "cannot install into '\(target.path)': \(error.localizedDescription)")
                }
            } else {
                do { try fm.moveItem(at: stagedFolder, to: target) } catch {
                    throw ReportError(.package, "cannot install into '\(target.path)': \(error.localizedDescription)")
                }
            }
            return try ReportPackage.load(from: target)
        }
    }

    private func relabel(_ e: ReportError, staging: URL, label: String, top: String) -> ReportError {
        func fix(_ s: String) -> String { s.replacingOccurrences(of: staging.path, with: "\(label)!/\(top)") }
        var r = e
        r.message = fix(r.message)
        if var l = r.location { l.file = fix(l.file); r.location = l }
        return r
    }

    // MARK: remove

    /// Removes an installed package. Refuses when other installed packages depend on it, naming
    /// them, unless `force` is set. The folder is renamed away first, then deleted.
    public func remove(_ name: String, force: Bool = false) throws(ReportError) {
        try withLock { () throws(ReportError) in
            let s = try scan()
            let folder: URL
            if let p = s.packages.first(where: { $0.name == name }) {
                folder = p.folder
            } else if let f = s.failures.first(where: { $0.folder.lastPathComponent == name }) {
                folder = f.folder
            } else {
                throw ReportError(.notFound, "package '\(name)' is not installed in \(root.path)")
            }
            let dependents = s.packages.filter { $0.name != name && $0.manifest.depends[name] != nil }.map(\.name)
            if !dependents.isEmpty && !force {
                throw ReportError(.package, "cannot remove '\(name)': \(dependents.map { "'\($0)'" }.joined(separator: ", ")) depend\(dependents.count == 1 ? "s" : "") on it (remove \(dependents.count == 1 ? "it" : "them") first, or force)")
            }
            let fm = FileManager.default
            let trash = root.appendingPathComponent(".removing-\(UUID().uuidString)")
            do { try fm.moveItem(at: folder, to: trash) } catch {
                throw ReportError(.package, "cannot remove '\(folder.path)': \(error.localizedDescription)")
            }
            try? fm.removeItem(at: trash)
        }
    }

    // MARK: locking

    /// Runs `body` holding an exclusive advisory lock on the repository folder itself (no lock
    /// file, so the folder's contents are untouched).
    private func withLock<T>(_ body: () throws(ReportError) -> T) throws(ReportError) -> T {
        let fd = open(root.path, O_RDONLY)
        guard fd >= 0 else {
            throw ReportError(.package, "package repository '\(root.path)' does not exist or cannot be opened")
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else {
            throw ReportError(.package, "cannot lock package repository '\(root.path)'")
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
