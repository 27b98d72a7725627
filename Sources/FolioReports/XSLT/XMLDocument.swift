import CFolioShims
import FolioRML
import Foundation

/// A parsed XML document (libxml2 `xmlDocPtr`): the data XML a report's stylesheet is applied to.
///
/// Parsing treats the input as untrusted: no network (`XML_PARSE_NONET`), no DTD loading, no
/// substitution of entities, libxml2's default size and depth limits (no `XML_PARSE_HUGE`, so
/// entity-expansion bombs are refused), and documents that declare external entities are refused
/// outright. CDATA sections become text, as with `xsltproc`.
///
/// Immutable after creation and safe to share. libxslt marks source nodes while it transforms, so
/// transformations of the same document are serialized internally (one at a time per document).
public final class XMLDocument: @unchecked Sendable {
    /// The `xmlDocPtr`; owned, freed in `deinit`.
    let pointer: UnsafeMutableRawPointer
    /// The name the document was parsed under (its base URI and the file named in errors).
    public let fileName: String
    /// Held for the duration of a transformation or serialization.
    let lock = NSLock()

    init(pointer: UnsafeMutableRawPointer, fileName: String) {
        self.pointer = pointer
        self.fileName = fileName
    }

    deinit { folio_xslt_free_doc(pointer) }

    /// Parses XML bytes. `fileName` names the document in errors (`file:line:column`) and is the base
    /// URI that relative `document()` calls resolve against.
    /// - Throws: `ReportError` of kind `.data` for malformed XML (with the place), `.security` for
    ///   a document declaring external entities.
    public static func parse(_ data: Data, fileName: String) throws(ReportError) -> XMLDocument {
        let collector = DiagnosticCollector()
        let doc: UnsafeMutableRawPointer? = data.withUnsafeBytes { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            return folio_xslt_parse_data(base, raw.count, fileName, collector.raw)
        }
        guard let doc else {
            var error = collector.error(.data, fallback: "not a well-formed XML document")
            if error.location == nil { error.location = SourceLocation(file: fileName, line: 1, column: 1) }
            throw error
        }
        return XMLDocument(pointer: doc, fileName: fileName)
    }

    /// Reads and parses an XML file.
    /// - Throws: `ReportError` of kind `.notFound` when the file cannot be read, otherwise as
    ///   `parse(_:fileName:)`.
    public static func parse(contentsOf path: String) throws(ReportError) -> XMLDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportError(.notFound, "cannot read the data file '\(path)'")
        }
        return try parse(data, fileName: path)
    }

    /// The document as XML bytes, in the encoding it declared (UTF-8 if none).
    public func serialized() -> Data {
        lock.lock()
        defer { lock.unlock() }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard folio_xslt_serialize_doc(pointer, &out, &length) == 0, let out else { return Data() }
        return Data(bytesNoCopy: out, count: length, deallocator: .custom { p, _ in folio_xslt_free_buffer(p) })
    }
}
