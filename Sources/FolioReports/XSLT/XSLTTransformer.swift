import CFolioShims
import FolioRML
import Foundation

/// Bounds on one transformation of untrusted data by an untrusted stylesheet.
public struct TransformLimits: Sendable, Hashable {
    /// Seconds before the transformation is stopped (≤ 0 or not finite: no limit). A watchdog
    /// stops the template engine and trips the XPath operation limit; see `XSLTTransformer`.
    public var timeout: Double = 30
    /// Largest serialized output, in bytes.
    public var maxOutputBytes = 256 << 20
    /// Deepest nesting of sequence constructors, libxslt's `maxTemplateDepth` (`xsltproc --maxdepth`):
    /// each template call, `xsl:if`/`xsl:for-each`/`xsl:with-param` body and literal element
    /// content nested inside another counts one, so a recursive template usually uses 2–3 per level
    /// (the default allows recursion some 300–500 calls deep). Clamped to 1…65 536.
    public var maxDepth = 1000

    public init() {}
}

/// The output of a transformation and what `xsl:message` said along the way.
public struct XSLTResult: Sendable {
    /// The serialized result (RML), in the encoding the stylesheet's `xsl:output` asks for.
    public var output: Data
    /// Non-terminating `xsl:message` output and what libxml2/libxslt reported without stopping the
    /// transformation (e.g. a `document()` that could not be read and gave an empty node-set), in order.
    public var messages: [XSLTDiagnostic]
    /// The stylesheet line that wrote each element of the result, in document order (0: unknown);
    /// see `GeneratedRMLOrigins`.
    public var origins: [UInt32]? = nil
}

/// Applies compiled stylesheets to data documents (libxslt), producing RML.
///
/// Each transformation runs on its own worker thread (with a stack sized for `maxDepth`) while the
/// calling thread waits as a watchdog: when `limits.timeout` expires it sets the transformation
/// context's state to stopped (what `xsltStopEngine` does) and trips the operation limits of the
/// transformation and of its XPath context, so both the template engine and a running XPath
/// evaluation stop at their next step; the call then fails with a `.limit` error. The calling thread
/// is blocked meanwhile: call from a thread that may block (not from a UI or event-loop thread).
///
/// Not bounded: a single libxslt/libxml2 step that does not poll those flags (sorting one huge node
/// set, one giant string operation) runs to its end before the stop is seen; memory used by the
/// result tree is bounded only through time and output size (which is checked while serializing).
public enum XSLTTransformer {
    /// Applies a stylesheet; parameters are passed as XPath string literals (quote safely); returns the output bytes (RML).
    ///
    /// Parameters are given to libxslt with `xsltQuoteUserParams`: each value becomes an XPath
    /// string as is, never evaluated, so quotes of any kind are safe. Names must be XML names
    /// without a prefix.
    ///
    /// - Throws: `ReportError`: `.stylesheet` for runtime errors (XPath errors, undefined
    ///   variables, `xsl:message terminate="yes"`) with the stylesheet file and line; `.security`
    ///   for refused reads or writes; `.limit` for the time, depth and output limits; `.data` for
    ///   invalid parameters.
    public static func transform(_ stylesheet: Stylesheet, _ document: XMLDocument, parameters: [String: String] = [:],
                                 limits: TransformLimits = .init()) throws(ReportError) -> Data {
        try run(stylesheet, document, parameters: parameters, limits: limits).output
    }

    /// As `transform`, returning `xsl:message` output too.
    public static func run(_ stylesheet: Stylesheet, _ document: XMLDocument, parameters: [String: String] = [:],
                           limits: TransformLimits = .init()) throws(ReportError) -> XSLTResult {
        for (name, value) in parameters {
            guard isNCName(name) else {
                throw ReportError(.data, "'\(name)' is not a valid stylesheet parameter name")
            }
            guard !value.utf8.contains(0) else {
                throw ReportError(.data, "the value of the parameter '\(name)' contains a NUL character")
            }
        }
        let maxDepth = min(max(limits.maxDepth, 1), 65_536)
        let collector = DiagnosticCollector()

        // name, value, …, NULL — strdup'ed, freed below.
        var cStrings: [UnsafeMutablePointer<CChar>?] = []
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            cStrings.append(strdup(name))
            cStrings.append(strdup(value))
        }
        defer { for p in cStrings { free(p) } }
        if cStrings.contains(where: { $0 == nil }) {
            throw ReportError(.limit, "out of memory while passing parameters")
        }
        var params: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        params.append(nil)

        var job = folio_xslt_job()
        job.stylesheet = stylesheet.pointer
        job.document = document.pointer
        job.timeout = limits.timeout
        job.max_depth = Int32(maxDepth)
        job.max_output = max(limits.maxOutputBytes, 0)
        job.collector = collector.raw

        document.lock.lock()
        params.withUnsafeMutableBufferPointer { p in
            stylesheet.sandbox.withCString { box in
                job.params = p.baseAddress
                job.sandbox = box
                folio_xslt_run(&job)
                job.params = nil
                job.sandbox = nil
            }
        }
        document.lock.unlock()
        withExtendedLifetime(stylesheet) {}

        let diagnostics = collector.diagnostics
        switch Int(job.status) {
        case Int(FOLIO_XSLT_OK):
            let output: Data
            if let out = job.output {
                output = Data(bytesNoCopy: out, count: job.output_length, deallocator: .custom { p, _ in folio_xslt_free_buffer(p) })
            } else {
                output = Data()
            }
            var origins: [UInt32]?
            if let lines = job.origin_lines {
                origins = Array(UnsafeBufferPointer(start: lines, count: job.origin_count))
                folio_xslt_free_buffer(lines)
            }
            return XSLTResult(output: output, messages: diagnostics, origins: origins)
        case Int(FOLIO_XSLT_TIMEOUT):
            throw ReportError(.limit, "the transformation by \(stylesheet.path) took longer than \(formatSeconds(limits.timeout)) and was stopped")
        case Int(FOLIO_XSLT_OUTPUT_LIMIT):
            throw ReportError(.limit, "the transformation by \(stylesheet.path) produced more than \(limits.maxOutputBytes) bytes")
        default:
            throw failure(diagnostics, status: Int(job.status), maxDepth: maxDepth, stylesheet: stylesheet, dropped: collector.dropped)
        }
    }

    private static func failure(_ diagnostics: [XSLTDiagnostic], status: Int, maxDepth: Int, stylesheet: Stylesheet, dropped: Int) -> ReportError {
        if let deep = diagnostics.first(where: { $0.isError && $0.message.contains("infinite") && $0.message.contains("recursion") }) {
            return ReportError(.limit, "templates nested more than \(maxDepth) deep (maxDepth; infinite recursion?)", at: deep.location)
        }
        let errors = diagnostics.filter { $0.isError }
        if errors.isEmpty, let stop = diagnostics.last(where: { $0.terminates }) {
            let text = stop.message.replacingNewlines()
            return ReportError(.stylesheet, "xsl:message terminated the transformation: \(text.isEmpty ? "(no text)" : text)", at: stop.location)
        }
        let fallback = status == Int(FOLIO_XSLT_TERMINATED)
            ? "the transformation was stopped"
            : "the transformation failed"
        var error = ReportError.summarizing(diagnostics, kind: .stylesheet, fallback: fallback, dropped: dropped)
        if error.location == nil { error.location = SourceLocation(file: stylesheet.path, line: 1, column: 1) }
        return error
    }

    private static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() && s < 1e9 ? "\(Int(s)) s" : "\(s) s"
    }

    /// An XML name without a colon.
    static func isNCName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        func isStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("A"..."Z").contains(c) || ("a"..."z").contains(c) || (c.value >= 0xC0 && c.properties.isAlphabetic)
        }
        guard isStart(first) else { return false }
        for c in s.unicodeScalars.dropFirst() {
            if isStart(c) || ("0"..."9").contains(c) || c == "-" || c == "." || c == "\u{B7}" || (c.value >= 0x300 && c.properties.generalCategory == .nonspacingMark) {
                continue
            }
            return false
        }
        return true
    }
}
