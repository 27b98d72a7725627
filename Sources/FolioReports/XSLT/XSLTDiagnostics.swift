import CFolioShims
import FolioRML
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One message reported by libxml2 or libxslt while a document was parsed, a stylesheet compiled
/// or a transformation run, with the place it names (stylesheet element or data position).
public struct XSLTDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The channel the message arrived on.
    public enum Channel: Sendable, Hashable {
        /// libxslt's (process-wide) or libxml2's generic error handler: compilation errors.
        case generic
        /// The transformation context's error handler: runtime errors.
        case transform
        /// libxml2's structured handler: parser and XPath errors.
        case structured
        /// Output of `xsl:message`.
        case message
        /// A refusal by Folio's sandbox (file outside the package, network, file writes, external entities).
        case security
    }

    public var channel: Channel
    /// `true` for errors, `false` for warnings and `xsl:message` output.
    public var isError: Bool
    public var message: String
    /// Where: the stylesheet element (column 1, libxml2 does not keep element columns) or the data
    /// position (line and column).
    public var location: SourceLocation?
    /// The name of the stylesheet element, when the message names one.
    public var element: String?
    /// An `xsl:message` with `terminate="yes"`.
    public var terminates: Bool
    /// libxml2's error domain and code (structured channel only; 0 otherwise).
    public var domain: Int
    public var code: Int

    public var description: String {
        let kind = channel == .message ? "message" : (isError ? "error" : "warning")
        if let location { return "\(location): \(kind): \(message)" }
        return "\(kind): \(message)"
    }
}

/// A file read while compiling a stylesheet, as it was when read.
struct FileStamp: Sendable, Hashable {
    var path: String
    var size: Int64
    var mtimeSeconds: Int64
    var mtimeNanoseconds: Int64

    /// Whether the file on disk still has this size and modification time.
    func isCurrent() -> Bool {
        guard let now = FileStamp.current(path) else { return false }
        return now == self
    }

    static func current(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        return FileStamp(path: path, size: Int64(st.st_size), mtimeSeconds: Int64(t.tv_sec), mtimeNanoseconds: Int64(t.tv_nsec))
    }
}

/// Owns a C collector (`folio_xslt_collector`) that the error trampolines fill for one call.
final class DiagnosticCollector {
    /// `nil` only when allocation failed; the C side then discards everything.
    let raw: OpaquePointer?

    init() { raw = folio_xslt_collector_new() }
    deinit { folio_xslt_collector_free(raw) }

    var dropped: Int { Int(folio_xslt_collector_dropped(raw)) }

    var diagnostics: [XSLTDiagnostic] {
        var out: [XSLTDiagnostic] = []
        let n = folio_xslt_collector_count(raw)
        guard n > 0 else { return out }
        for i in 0..<n {
            guard let d = folio_xslt_collector_diag(raw, i)?.pointee else { continue }
            let channel: XSLTDiagnostic.Channel
            switch Int(d.channel) {
            case Int(FOLIO_XSLT_CHANNEL_TRANSFORM): channel = .transform
            case Int(FOLIO_XSLT_CHANNEL_STRUCTURED): channel = .structured
            case Int(FOLIO_XSLT_CHANNEL_MESSAGE): channel = .message
            case Int(FOLIO_XSLT_CHANNEL_SECURITY): channel = .security
            default: channel = .generic
            }
            var location: SourceLocation?
            if let file = d.file {
                location = SourceLocation(file: String(cString: file), line: max(Int(d.line), 1), column: max(Int(d.column), 1))
            }
            out.append(XSLTDiagnostic(
                channel: channel,
                isError: channel != .message && d.level >= 2,
                message: d.message.map { String(cString: $0) } ?? "",
                location: location,
                element: d.element.map { String(cString: $0) },
                terminates: (d.flags & Int32(FOLIO_XSLT_FLAG_TERMINATE)) != 0,
                domain: Int(d.domain),
                code: Int(d.code)))
        }
        return out
    }

    var loadedFiles: [FileStamp] {
        var out: [FileStamp] = []
        let n = folio_xslt_collector_loaded_count(raw)
        guard n > 0 else { return out }
        for i in 0..<n {
            guard let f = folio_xslt_collector_loaded(raw, i)?.pointee, let p = f.path else { continue }
            out.append(FileStamp(path: String(cString: p), size: Int64(f.size), mtimeSeconds: Int64(f.mtime_sec), mtimeNanoseconds: Int64(f.mtime_nsec)))
        }
        return out
    }

    /// One `ReportError` summing up what was collected: the first located error gives the place;
    /// refusals by the sandbox make it a `.security` error.
    func error(_ kind: ReportError.Kind, fallback: String) -> ReportError {
        ReportError.summarizing(diagnostics, kind: kind, fallback: fallback, dropped: dropped)
    }
}

extension ReportError {
    /// Sums up diagnostics into one error: messages of the errors (security refusals first, at most
    /// four, duplicates removed), placed at the first one that names a place.
    static func summarizing(_ diagnostics: [XSLTDiagnostic], kind: Kind, fallback: String, dropped: Int = 0) -> ReportError {
        let security = diagnostics.filter { $0.channel == .security }
        var errors = diagnostics.filter { $0.isError && $0.channel != .security }
        if errors.isEmpty && security.isEmpty {
            errors = diagnostics.filter { $0.channel != .message }
        }
        let ordered = security + errors
        guard !ordered.isEmpty else { return ReportError(kind, fallback) }
        var seen = Set<String>()
        var messages: [String] = []
        for d in ordered {
            var m = d.message.replacingNewlines()
            if m.count > 300 { m = String(m.prefix(300)) + "…" }
            if m.isEmpty || seen.contains(m) { continue }
            seen.insert(m)
            messages.append(m)
        }
        let shown = messages.prefix(4)
        var text = shown.joined(separator: "; ")
        let more = messages.count - shown.count + dropped
        if more > 0 { text += " (and \(more) more)" }
        if text.isEmpty { text = fallback }
        let location = ordered.first(where: { $0.location != nil })?.location
        return ReportError(security.isEmpty ? kind : .security, text, at: location)
    }
}

extension String {
    /// Newlines as spaces, runs of white space collapsed: one-line messages.
    func replacingNewlines() -> String {
        var out = ""
        var lastSpace = false
        for ch in self {
            if ch.isWhitespace {
                if !lastSpace && !out.isEmpty { out.append(" ") }
                lastSpace = true
            } else {
                out.append(ch)
                lastSpace = false
            }
        }
        if out.last == " " { out.removeLast() }
        return out
    }
}
