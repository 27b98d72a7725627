import CFolioShims
import FolioRML
import Foundation

/// A compiled XSLT 1.0 stylesheet (libxslt `xsltStylesheetPtr`, EXSLT available), shared read-only
/// by any number of concurrent transformations.
///
/// Get one from a `StylesheetCache` (which recompiles when the file or anything it imports
/// changes) or compile one directly with `compile(at:sandbox:language:translations:)`.
public final class Stylesheet: @unchecked Sendable {
    /// The `xsltStylesheetPtr`; owned (with its documents), freed in `deinit`, never modified after
    /// compilation.
    let pointer: UnsafeMutableRawPointer
    /// The stylesheet file.
    public let path: String
    /// The folder imports, includes and `document()` are confined to.
    public let sandbox: String
    /// The language its marked text was translated into, if any.
    public let language: String?
    /// Warnings libxslt reported while compiling.
    public let warnings: [XSLTDiagnostic]
    /// The files read to compile it (itself and every import/include), as they were when read.
    let dependencies: [FileStamp]

    init(pointer: UnsafeMutableRawPointer, path: String, sandbox: String, language: String?,
         warnings: [XSLTDiagnostic], dependencies: [FileStamp]) {
        self.pointer = pointer
        self.path = path
        self.sandbox = sandbox
        self.language = language
        self.warnings = warnings
        self.dependencies = dependencies
    }

    deinit { folio_xslt_free_stylesheet(pointer) }

    /// The files the stylesheet was compiled from (absolute, symbolic links resolved).
    public var files: [String] { dependencies.map(\.path) }

    /// Whether none of the files it was compiled from changed (size and modification time).
    public var isUpToDate: Bool { dependencies.allSatisfy { $0.isCurrent() } }

    /// Reads and compiles a stylesheet, without caching.
    ///
    /// - Parameters:
    ///   - path: the stylesheet file; it must lie inside `sandbox`.
    ///   - sandbox: the report package folder: `xsl:import`, `xsl:include` (resolved relative to
    ///     the importing stylesheet) and, at transformation time, `document()` may read files inside
    ///     it and nowhere else (no network either).
    ///   - language, translations: when both are given, text marked `t="1"` is translated with the
    ///     catalogue before compiling.
    /// - Throws: `ReportError`: `.notFound` (no such file), `.stylesheet` (malformed XML or XSLT,
    ///   with the file and line of the offending element), `.security` (a read outside the sandbox,
    ///   external entities).
    public static func compile(at path: String, sandbox: String, language: String? = nil,
                               translations: TranslationCatalog? = nil) throws(ReportError) -> Stylesheet {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReportError(.notFound, "no stylesheet at '\(path)'")
        }
        guard FileManager.default.fileExists(atPath: sandbox) else {
            throw ReportError(.notFound, "no report package folder at '\(sandbox)'")
        }
        let collector = DiagnosticCollector()
        guard let doc = folio_xslt_read_stylesheet(path, sandbox, collector.raw) else {
            throw collector.error(.stylesheet, fallback: "\(path): cannot read the stylesheet")
        }
        let translating = language != nil && translations != nil
        if translating, let translations {
            StylesheetTranslator.translate(doc, with: translations)
        }
        guard let style = folio_xslt_compile(doc, sandbox, collector.raw) else {
            throw collector.error(.stylesheet, fallback: "\(path): the stylesheet does not compile")
        }
        // libxslt reports some errors without counting them (an unknown xsl: instruction is only
        // found missing at run time): any error reported while compiling fails the compilation.
        let diagnostics = collector.diagnostics
        if diagnostics.contains(where: { $0.isError }) {
            folio_xslt_free_stylesheet(style)
            throw ReportError.summarizing(diagnostics, kind: .stylesheet, fallback: "\(path): the stylesheet does not compile",
                                          dropped: collector.dropped)
        }
        return Stylesheet(pointer: style, path: path, sandbox: sandbox, language: translating ? language : nil,
                          warnings: diagnostics, dependencies: collector.loadedFiles)
    }
}

/// Compiled stylesheets by file, sandbox and language, shared by every report that uses them.
/// Thread-safe.
///
/// A cached stylesheet is returned as long as neither its file nor any file it imports or includes
/// changed on disk (size and modification time, checked on every call with one `stat` per file);
/// otherwise it is compiled again. Two threads asking for the same missing stylesheet at once may
/// both compile it; the last one is kept.
public final class StylesheetCache: @unchecked Sendable {
    private struct Key: Hashable {
        var path: String
        var sandbox: String
        var language: String?
    }

    private struct Entry {
        var stylesheet: Stylesheet
        var catalog: TranslationCatalog?
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var compileCount = 0

    public init() {}

    /// How many times a stylesheet was compiled by this cache (first compilations and
    /// recompilations after a change).
    public var compilations: Int {
        lock.lock()
        defer { lock.unlock() }
        return compileCount
    }

    /// Compiles (or returns the cached) stylesheet; recompiles when the file or any file it
    /// imports/includes changed (mtime+size).
    ///
    /// - Parameters:
    ///   - path: the stylesheet file, inside `sandbox`.
    ///   - sandbox: the folder (a report package) that `xsl:import`/`xsl:include` and `document()`
    ///     may read from; nothing outside it.
    ///   - language: static text marked `t="1"` is translated with the package's catalogue for that
    ///     language before compiling (none → as is).
    ///   - translations: that catalogue. A different catalogue for the same language (e.g. after the
    ///     package was updated) causes a recompilation.
    /// - Throws: `ReportError` as `Stylesheet.compile(at:sandbox:language:translations:)`.
    public func stylesheet(at path: String, sandbox: String, language: String? = nil,
                           translations: TranslationCatalog? = nil) throws(ReportError) -> Stylesheet {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let box = URL(fileURLWithPath: sandbox).standardizedFileURL.path
        let catalog = language != nil ? translations : nil
        let key = Key(path: absolute, sandbox: box, language: catalog != nil ? language : nil)
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let cached, cached.catalog == catalog, cached.stylesheet.isUpToDate {
            return cached.stylesheet
        }
        let compiled: Stylesheet
        do {
            compiled = try Stylesheet.compile(at: absolute, sandbox: box, language: key.language, translations: catalog)
        } catch {
            lock.lock()
            compileCount += 1
            entries[key] = nil
            lock.unlock()
            throw error
        }
        lock.lock()
        compileCount += 1
        entries[key] = Entry(stylesheet: compiled, catalog: catalog)
        lock.unlock()
        return compiled
    }

    /// Forgets every compiled stylesheet (they stay alive while transformations use them).
    public func removeAll() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }
}
