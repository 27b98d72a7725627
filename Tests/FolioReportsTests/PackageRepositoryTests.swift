import Foundation
import Testing
@testable import FolioReports

@Suite struct PackageRepositoryTests {
    func resolveError(_ repo: PackageRepository, _ report: String) -> ReportError? {
        do { _ = try repo.resolve(report: report); return nil } catch { return error }
    }

    @Test func listAndResolveWithSearchPath() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "base", version: "1.4.0")
        Fixtures.writePackage(root, "common", version: "2.1.0", depends: ["base": "^1.2"])
        Fixtures.writePackage(root, "stock", depends: ["common": ">=2.0.0 <3.0.0", "base": "*"], reports: ["stock.picking.list"])
        let repo = PackageRepository(root: root)
        #expect(try repo.list().map(\.name) == ["base", "common", "stock"])
        #expect(repo.check().isEmpty, "\(repo.check())")
        let r = try repo.resolve(report: "stock.picking.list")
        #expect(r.package.name == "stock")
        #expect(r.report.kind == .xsl)
        #expect(r.dependencies.map(\.name) == ["base", "common"])
        #expect(r.searchPath.map(\.lastPathComponent) == ["stock", "base", "common"])
        #expect(r.stylesheetURL?.lastPathComponent == "stock_picking_list.xsl")
        #expect(r.file("report/stock_picking_list.xsl") != nil)
        #expect(resolveError(repo, "nope")?.kind == .notFound)
    }

    @Test func missingDependency() {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "stock", depends: ["base": "^1.0"], reports: ["r"])
        let repo = PackageRepository(root: root)
        let e = resolveError(repo, "r")
        #expect(e?.message == "package 'stock' 1.0.0 depends on 'base' (^1.0), which is not installed")
        #expect(repo.check().contains { $0.message.contains("'base' (^1.0), which is not installed") && $0.file.hasSuffix("stock/folio-package.yaml") })
    }

    @Test func versionOutOfRange() {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "base", version: "2.0.1")
        Fixtures.writePackage(root, "stock", depends: ["base": ">=1.0.0 <2.0.0"], reports: ["r"])
        let e = resolveError(PackageRepository(root: root), "r")
        #expect(e?.message == "package 'stock' 1.0.0 depends on 'base' >=1.0.0 <2.0.0, but 'base' 2.0.1 is installed")
    }

    @Test func cycleIsNamed() {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "a", depends: ["b": "*"], reports: ["r"])
        Fixtures.writePackage(root, "b", depends: ["c": "*"])
        Fixtures.writePackage(root, "c", depends: ["a": "*"])
        let repo = PackageRepository(root: root)
        #expect(resolveError(repo, "r")?.message == "dependency cycle: a → b → c → a")
        let cycles = repo.check().filter { $0.message.hasPrefix("dependency cycle") }
        #expect(cycles.map(\.message) == ["dependency cycle: a → b → c → a"])
    }

    @Test func duplicateReportName() {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "one", reports: ["shared.report", "one.only"])
        Fixtures.writePackage(root, "two", reports: ["shared.report"])
        let repo = PackageRepository(root: root)
        #expect(resolveError(repo, "shared.report")?.message.contains("declared by packages 'one' and 'two'") == true)
        #expect(resolveError(repo, "one.only") == nil)
        #expect(repo.check().contains { $0.message == "report 'shared.report' is declared by packages 'one' and 'two'" })
    }

    @Test func checkFindsFolderProblems() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "alpha", folder: "wrong_folder")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("not_a_package"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("broken"), withIntermediateDirectories: true)
        try Data("name: broken\n".utf8).write(to: root.appendingPathComponent("broken/folio-package.yaml"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".staging-old"), withIntermediateDirectories: true)
        let problems = PackageRepository(root: root).check()
        let text = problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("installed in folder 'wrong_folder'"), "\(text)")
        #expect(text.contains("not_a_package: error: folder has no folio-package.yaml"))
        #expect(text.contains("broken/folio-package.yaml:1:1: error: missing required key 'summary'"), "\(text)")
        #expect(text.contains(".staging-old: error: leftover"))
        #expect(try PackageRepository(root: root).list().map(\.name) == ["alpha"])
    }

    // MARK: archives

    @Test func packInstallRoundTrip() throws {
        let src = Fixtures.tempDir("src"), root = Fixtures.tempDir("repo"), tmp = Fixtures.tempDir("tmp")
        defer { [src, root, tmp].forEach(Fixtures.cleanup) }
        Fixtures.writePackage(root, "base")
        let dir = Fixtures.writePackage(src, "stock", depends: ["base": "^1.0"], reports: ["stock.picking.list"])
        // Long and non-ASCII paths, nested folders, binary content, hidden files left out.
        let deep = dir.appendingPathComponent("assets/" + String(repeating: "très-long-dossier/", count: 5) + "images")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let binary = Data((0..<3000).map { UInt8($0 % 256) })
        try binary.write(to: deep.appendingPathComponent("logo-ünïcode.png"))
        try Data().write(to: dir.appendingPathComponent("empty.txt"))
        try Data("secret".utf8).write(to: dir.appendingPathComponent(".hidden"))

        let archive = tmp.appendingPathComponent("stock.tar")
        try PackageRepository.pack(dir, to: archive)
        let bytes = try Data(contentsOf: archive)
        #expect(bytes.count % 512 == 0)
        // Reproducible.
        try PackageRepository.pack(dir, to: tmp.appendingPathComponent("again.tar"))
        #expect(try Data(contentsOf: tmp.appendingPathComponent("again.tar")) == bytes)
        let entries = try PackageArchive.read(bytes, label: "stock.tar")
        #expect(entries.first?.path == "stock")
        #expect(entries[1].path == "stock/folio-package.yaml")
        #expect(!entries.contains { $0.path.hasSuffix(".hidden") })

        let repo = PackageRepository(root: root)
        let installed = try repo.install(archive)
        #expect(installed.name == "stock")
        #expect(installed.folder.path == root.appendingPathComponent("stock").standardizedFileURL.path)
        var expected = Fixtures.snapshot(dir)
        expected.removeValue(forKey: ".hidden")
        #expect(Fixtures.snapshot(root.appendingPathComponent("stock")) == expected)
        #expect(try repo.resolve(report: "stock.picking.list").searchPath.map(\.lastPathComponent) == ["stock", "base"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["base", "stock"])

        // Installing again needs `replacing`; upgrading works.
        #expect(throws: ReportError.self) { try repo.install(archive) }
        let manifest = dir.appendingPathComponent("folio-package.yaml")
        try Data(String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "version: 1.0.0", with: "version: 1.1.0").utf8).write(to: manifest)
        try PackageRepository.pack(dir, to: archive)
        #expect(try repo.install(archive, replacing: true).version == SemanticVersion(1, 1, 0))
        #expect(try repo.package(named: "stock").version == SemanticVersion(1, 1, 0))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["base", "stock"])
    }

    @Test func packRefusesBrokenPackagesAndSymlinks() throws {
        let src = Fixtures.tempDir("src"), tmp = Fixtures.tempDir("tmp")
        defer { [src, tmp].forEach(Fixtures.cleanup) }
        let dir = Fixtures.writePackage(src, "stock", reports: ["r"])
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "/etc/passwd")
        #expect(throws: ReportError.self) { try PackageRepository.pack(dir, to: tmp.appendingPathComponent("x.tar")) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("link"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("report/r.xsl"))
        do {
            try PackageRepository.pack(dir, to: tmp.appendingPathComponent("x.tar"))
            Issue.record("packed a package with a missing file")
        } catch {
            #expect(error.message.contains("'report/r.xsl' does not exist"))
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.appendingPathComponent("x.tar").path))
    }

    /// Archives that must be refused, each leaving the repository byte-for-byte as it was.
    @Test func failedInstallsLeaveRepositoryUnchanged() throws {
        let src = Fixtures.tempDir("src"), root = Fixtures.tempDir("repo"), tmp = Fixtures.tempDir("tmp")
        defer { [src, root, tmp].forEach(Fixtures.cleanup) }
        Fixtures.writePackage(root, "base", version: "1.0.0", reports: ["base.report"])
        Fixtures.writePackage(root, "uses_base", depends: ["base": "^1.0"])
        let repo = PackageRepository(root: root)
        let before = Fixtures.snapshot(root)
        #expect(before.count > 6)

        func archive(_ name: String, _ entries: [PackageArchive.Entry]) throws -> URL {
            let u = tmp.appendingPathComponent(name)
            try PackageArchive.write(entries).write(to: u)
            return u
        }
        func packed(_ name: String, version: String = "1.0.0", depends: [String: String] = [:], reports: [String] = ["x.report"]) throws -> URL {
            let dir = Fixtures.writePackage(src, name, version: version, depends: depends, reports: reports)
            let u = tmp.appendingPathComponent("\(name)-\(UUID().uuidString).tar")
            try PackageRepository.pack(dir, to: u)
            try FileManager.default.removeItem(at: dir)
            return u
        }
        func file(_ p: String, _ s: String) -> PackageArchive.Entry { .init(path: p, isDirectory: false, data: Data(s.utf8)) }
        let goodManifest = "name: evil\nsummary: x\nversion: 1.0.0\n"
        // A symlink entry: a valid header with type '2'.
        var symlink = [UInt8](try PackageArchive.write([file("evil/folio-package.yaml", goodManifest), file("evil/link", "")]))
        symlink[1024 + 156] = UInt8(ascii: "2")
        for i in 148..<156 { symlink[1024 + i] = 0x20 }
        let sum = symlink[1024..<1536].reduce(0) { $0 + Int($1) }
        let octal = Array(String(format: "%06o", sum).utf8) + [0, 0x20]
        for (i, b) in octal.enumerated() { symlink[1024 + 148 + i] = b }
        let symlinkURL = tmp.appendingPathComponent("symlink.tar")
        try Data(symlink).write(to: symlinkURL)
        // A path with '..', written by hand since the writer refuses it.
        var traversal = [UInt8](try PackageArchive.write([file("evil/folio-package.yaml", goodManifest), file("evil/aa/x.txt", "pwned")]))
        let nameAt = 512 * 2
        let dotted = Array("evil/../x.txt".utf8)
        for i in 0..<100 { traversal[nameAt + i] = i < dotted.count ? dotted[i] : 0 }
        for i in 148..<156 { traversal[nameAt + i] = 0x20 }
        let tsum = traversal[nameAt..<(nameAt + 512)].reduce(0) { $0 + Int($1) }
        for (i, b) in (Array(String(format: "%06o", tsum).utf8) + [0, 0x20]).enumerated() { traversal[nameAt + 148 + i] = b }
        let traversalURL = tmp.appendingPathComponent("traversal.tar")
        try Data(traversal).write(to: traversalURL)

        let cases: [(String, URL, String)] = [
            ("bad manifest", try archive("bad.tar", [file("evil/folio-package.yaml", "name: evil\nversion: [\n")]), "YAML syntax error"),
            ("manifest missing a key", try archive("nokey.tar", [file("evil/folio-package.yaml", "name: evil\nversion: 1.0.0\n")]), "missing required key 'summary'"),
            ("no manifest", try archive("noman.tar", [file("evil/readme.txt", "hi")]), "no evil/folio-package.yaml"),
            ("name mismatch", try archive("mismatch.tar", [file("evil/folio-package.yaml", "name: other\nsummary: x\nversion: 1.0.0\n")]), "names package 'other'"),
            ("missing file", try archive("nofile.tar", [file("evil/folio-package.yaml", goodManifest + "reports:\n  - {name: e, kind: xsl, files: {stylesheet: a.xsl}}\n")]), "'a.xsl' does not exist"),
            ("missing dependency", try packed("needs_x", depends: ["xyz": "^1.0"]), "depends on 'xyz' (^1.0), which is not installed"),
            ("dependency out of range", try packed("needs_base2", depends: ["base": "^2.0"]), "but 'base' 1.0.0 is installed"),
            ("duplicate report", try packed("dup", reports: ["base.report"]), "already declared by installed package 'base'"),
            ("already installed", try packed("base", version: "1.5.0", reports: []), "already installed"),
            ("path traversal", traversalURL, "leaves the package folder"),
            ("symlink", symlinkURL, "symbolic link"),
            ("two top folders", try archive("two.tar", [file("evil/folio-package.yaml", goodManifest), file("other/x", "")]), "outside the package folder"),
            ("not a tar", { let u = tmp.appendingPathComponent("junk.tar"); try! Data(repeating: 7, count: 2048).write(to: u); return u }(), "not a ustar header"),
            ("truncated", { let u = tmp.appendingPathComponent("trunc.tar"); try! Data(symlink.prefix(700)).write(to: u); return u }(), "truncated"),
        ]
        for (what, url, message) in cases {
            do {
                try repo.install(url)
                Issue.record("\(what): installed")
            } catch {
                #expect(error.description.contains(message), "\(what): \(error)")
            }
            #expect(Fixtures.snapshot(root) == before, "\(what): repository changed")
        }
        // Replacing with a version its dependents do not accept.
        let v2 = try packed("base", version: "2.0.0", reports: ["base.report"])
        #expect(throws: ReportError.self) { try repo.install(v2, replacing: true) }
        #expect(Fixtures.snapshot(root) == before)
    }

    @Test func removeRespectsDependents() throws {
        let root = Fixtures.tempDir()
        defer { Fixtures.cleanup(root) }
        Fixtures.writePackage(root, "base")
        Fixtures.writePackage(root, "a", depends: ["base": "*"])
        Fixtures.writePackage(root, "b", depends: ["base": "*", "a": "*"])
        let repo = PackageRepository(root: root)
        let before = Fixtures.snapshot(root)
        do {
            try repo.remove("base")
            Issue.record("removed a package others depend on")
        } catch {
            #expect(error.message == "cannot remove 'base': 'a', 'b' depend on it (remove them first, or force)")
        }
        #expect(Fixtures.snapshot(root) == before)
        #expect(throws: ReportError.self) { try repo.remove("missing") }
        try repo.remove("b")
        try repo.remove("a")
        #expect(try repo.list().map(\.name) == ["base"])
        Fixtures.writePackage(root, "c", depends: ["base": "*"])
        try repo.remove("base", force: true)
        #expect(try repo.list().map(\.name) == ["c"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["c"])
    }

    @Test func archiveFormatIsUstar() throws {
        let data = try PackageArchive.write([.init(path: "p", isDirectory: true), .init(path: "p/a.txt", isDirectory: false, data: Data("hello".utf8))])
        #expect(data.count == 512 * 5)   // dir header, file header, one data block, two end blocks
        let bytes = [UInt8](data)
        #expect(Array(bytes[257..<263]) == Array("ustar\0".utf8))
        #expect(bytes[156] == UInt8(ascii: "5"))
        #expect(bytes[512 + 156] == UInt8(ascii: "0"))
        #expect(String(decoding: bytes[(512 + 124)..<(512 + 135)], as: UTF8.self) == "00000000005")
        #expect(try PackageArchive.read(data, label: "t") == [.init(path: "p", isDirectory: true), .init(path: "p/a.txt", isDirectory: false, data: Data("hello".utf8))])
        #expect(throws: ReportError.self) { try PackageArchive.write([.init(path: "../x", isDirectory: false)]) }
        #expect(throws: ReportError.self) { try PackageArchive.write([.init(path: "/etc/x", isDirectory: false)]) }
    }
}
