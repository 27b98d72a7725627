import ArgumentParser
import FolioReports
import Foundation

/// `folio packages …`: the installed report packages.
struct Packages: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, check, pack, install and remove report packages.",
        subcommands: [List.self, CheckPackages.self, Pack.self, Install.self, Remove.self])

    /// The repository folder shared by the subcommands.
    struct Location: ParsableArguments {
        @Option(help: "The folder of installed packages (default: FOLIO_TEMPLATES or ./templates).")
        var templates: String?

        var repository: PackageRepository {
            let path = templates ?? ProcessInfo.processInfo.environment["FOLIO_TEMPLATES"] ?? "templates"
            return PackageRepository(root: URL(fileURLWithPath: path))
        }
    }

    static func fail(_ error: ReportError) -> ExitCode {
        FileHandle.standardError.write((error.description + "\n").data(using: .utf8)!)
        return ExitCode(1)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List installed packages and their reports.")
        @OptionGroup var location: Location
        func run() throws {
            do {
                for p in try location.repository.list() {
                    print("\(p.name) \(p.version) — \(p.manifest.summary)")
                    for r in p.manifest.reports { print("  \(r.name) (\(r.kind))") }
                }
            } catch { throw Packages.fail(error) }
        }
    }

    struct CheckPackages: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Check manifests, files and dependencies.")
        @OptionGroup var location: Location
        func run() throws {
            let problems = location.repository.check()
            for p in problems { FileHandle.standardError.write((p.description + "\n").data(using: .utf8)!) }
            if !problems.isEmpty { throw ExitCode(1) }
            print("all packages are consistent")
        }
    }

    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pack a package folder into one archive file.")
        @Argument(help: "The package folder.") var folder: String
        @Option(name: .shortAndLong, help: "The archive to write.") var output: String
        func run() throws {
            do { try PackageRepository.pack(URL(fileURLWithPath: folder), to: URL(fileURLWithPath: output)) }
            catch { throw Packages.fail(error) }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install an archive after checking its manifest and dependencies; a failure changes nothing.")
        @OptionGroup var location: Location
        @Argument(help: "The archive made by 'folio packages pack'.") var archive: String
        @Flag(help: "Replace an installed package of the same name.") var replace = false
        func run() throws {
            do {
                let p = try location.repository.install(URL(fileURLWithPath: archive), replacing: replace)
                print("installed \(p.name) \(p.version)")
            } catch { throw Packages.fail(error) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an installed package (refused while others depend on it).")
        @OptionGroup var location: Location
        @Argument(help: "The package name.") var name: String
        @Flag(help: "Remove even if other packages depend on it.") var force = false
        func run() throws {
            do { try location.repository.remove(name, force: force) } catch { throw Packages.fail(error) }
        }
    }
}
