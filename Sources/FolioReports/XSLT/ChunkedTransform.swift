import CXML
import CFolioShims
import FolioRML
import Foundation

/// Runs a stylesheet over large data in record chunks, so that neither the data nor the result is
/// ever held whole: the data is read with a streaming reader and the RML comes out piece by piece.
///
/// ## The convention
///
/// A stylesheet opts in by declaring two top-level parameters:
///
/// ```xml
/// <xsl:param name="folio-chunk" select="''"/>          <!-- set by Folio: 'head' or 'records' -->
/// <xsl:param name="folio-records" select="'line'"/>    <!-- the name of the record elements -->
/// ```
///
/// The record elements are the children of the data's root element with that name. Folio then:
/// 1. applies the stylesheet to the *head*: the root element (with all its attributes) and the
///    children that come before the first record, with `folio-chunk = 'head'`. The output must hold
///    exactly one empty element `<folio-records/>`, where the records' output goes;
/// 2. applies it to successive *chunks*: the root element (same attributes) holding up to
///    `chunkSize` consecutive records, with `folio-chunk = 'records'`. The document element of each
///    output is a wrapper: its content replaces `<folio-records/>`, chunk after chunk.
///
/// So a template sees at most one chunk of records: totals and counts must come from the data
/// (e.g. attributes of the root) rather than from `count()` or `sum()` over all records, and
/// position-dependent output (zebra rows) belongs in the RML (`blockRowBackground`) rather than in
/// `position()`. Children of the root after the last record are not read. The wrapper must not
/// declare namespaces that its content uses. A stylesheet without the parameters is applied to the
/// whole document, as usual. `bench/ledger_rml_chunked.xsl` is an example.
public final class ChunkedTransform {
    /// The parameter that tells the stylesheet which part it is producing.
    public static let partParameter = "folio-chunk"
    /// The parameter naming the record elements.
    public static let recordsParameter = "folio-records"
    /// The placeholder for the records' output in the head's output.
    public static let placeholder = "<folio-records/>"

    private let stylesheet: Stylesheet
    private let parameters: [String: String]
    private let limits: TransformLimits
    private let recordName: String
    private let chunkSize: Int
    private let fileName: String
    private let reader: OpaquePointer
    private let data: Data?
    private var rootName = ""
    private var rootAttributes: [(String, String)] = []
    private var state = State.start
    private var tail = Data()
    /// The reader is positioned on a record not yet taken.
    private var pendingRecord = false

    private enum State { case start, records, tail, done }

    /// Whether a stylesheet follows the convention, and the record name it declares.
    public static func recordName(of stylesheet: Stylesheet) -> String? {
        guard let source = try? String(contentsOfFile: stylesheet.path, encoding: .utf8),
              source.contains("\"\(partParameter)\"") || source.contains("'\(partParameter)'") else { return nil }
        // <xsl:param name="folio-records" select="'line'"/>
        guard let r = source.range(of: "name=\"\(recordsParameter)\"") ?? source.range(of: "name='\(recordsParameter)'") else { return nil }
        let rest = source[r.upperBound...].prefix(200)
        guard let sel = rest.range(of: "select=") else { return nil }
        let after = rest[sel.upperBound...].dropFirst()   // the attribute's quote
        guard let q = after.first, q == "'" || q == "\"" else { return nil }
        let name = after.dropFirst().prefix { $0 != q }
        return name.isEmpty ? nil : String(name)
    }

    /// Prepares a chunked transformation of the data file at `path` (read as it goes).
    public convenience init(_ stylesheet: Stylesheet, dataFile path: String, records: String, parameters: [String: String] = [:],
                            chunkSize: Int = 500, limits: TransformLimits = .init()) throws(ReportError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ReportError(.notFound, "cannot read the data file '\(path)'")
        }
        folio_xml_global_init()
        guard let reader = xmlReaderForFile(path, nil, Self.options) else {
            throw ReportError(.data, "cannot read the data file '\(path)'", at: SourceLocation(file: path, line: 1, column: 1))
        }
        self.init(stylesheet, reader: reader, data: nil, fileName: path, records: records, parameters: parameters,
                  chunkSize: chunkSize, limits: limits)
    }

    /// Prepares a chunked transformation of data held in memory.
    public convenience init(_ stylesheet: Stylesheet, data: Data, fileName: String, records: String, parameters: [String: String] = [:],
                            chunkSize: Int = 500, limits: TransformLimits = .init()) throws(ReportError) {
        folio_xml_global_init()
        let maybe: OpaquePointer? = data.withUnsafeBytes { raw in
            xmlReaderForMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), fileName, nil, Self.options)
        }
        guard let reader = maybe else {
            throw ReportError(.data, "cannot read the data", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        // The reader reads from the bytes as it goes: keep them alive.
        self.init(stylesheet, reader: reader, data: data, fileName: fileName, records: records, parameters: parameters,
                  chunkSize: chunkSize, limits: limits)
    }

    private init(_ stylesheet: Stylesheet, reader: OpaquePointer, data: Data?, fileName: String, records: String,
                 parameters: [String: String], chunkSize: Int, limits: TransformLimits) {
        self.stylesheet = stylesheet
        self.reader = reader
        self.data = data
        self.fileName = fileName
        self.recordName = records
        self.parameters = parameters
        self.chunkSize = max(1, chunkSize)
        self.limits = limits
    }

    deinit { xmlFreeTextReader(reader) }

    /// No network, no entity substitution, CDATA as text (as `xsltproc`).
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// The next piece of the output (the head up to the records, each chunk's records, then the
    /// rest of the head), or nil when the output is complete.
    public func next() throws(ReportError) -> Data? {
        switch state {
        case .start:
            let (head, tail) = try transformHead()
            self.tail = tail
            state = .records
            return head
        case .records:
            if let chunk = try nextChunk() { return chunk }
            state = .tail
            return tail
        case .tail:
            state = .done
            return nil
        case .done:
            return nil
        }
    }

    /// The whole output at once.
    public func collect() throws(ReportError) -> Data {
        var out = Data()
        while let piece = try next() { out.append(piece) }
        return out
    }

    // MARK: Reading

    private func location() -> SourceLocation {
        SourceLocation(file: fileName, line: max(1, Int(xmlTextReaderGetParserLineNumber(reader))),
                       column: max(1, Int(xmlTextReaderGetParserColumnNumber(reader))))
    }

    private func read() throws(ReportError) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status < 0 { throw ReportError(.data, "the data is not well-formed XML", at: location()) }
        return status == 1
    }

    private func readError() throws(ReportError) {
        if xmlTextReaderReadState(reader) == Int32(XML_TEXTREADER_MODE_ERROR.rawValue) {
            throw ReportError(.data, "the data is not well-formed XML", at: location())
        }
    }

    /// A new document holding a copy of the root element (name and attributes, no children).
    private func newChunkDocument() -> (xmlDocPtr, xmlNodePtr) {
        let doc = xmlNewDoc("1.0")!
        let root = xmlNewDocNode(doc, nil, rootName, nil)!
        for (name, value) in rootAttributes { xmlNewProp(root, name, value) }
        xmlDocSetRootElement(doc, root)
        return (doc, root)
    }

    /// Copies the subtree the reader is on into `parent` and moves past it.
    private func takeSubtree(into parent: xmlNodePtr, _ doc: xmlDocPtr) throws(ReportError) {
        guard let node = xmlTextReaderExpand(reader) else {
            throw ReportError(.data, "the data is not well-formed XML", at: location())
        }
        if let copy = xmlDocCopyNode(node, doc, 1) { xmlAddChild(parent, copy) }
        let status = xmlTextReaderNext(reader)
        if status < 0 { throw ReportError(.data, "the data is not well-formed XML", at: location()) }
        pendingRecord = status == 1 && isRecord()
    }

    private func isRecord() -> Bool {
        xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) && xmlTextReaderDepth(reader) == 1
            && xmlTextReaderConstLocalName(reader).map { String(cString: $0) } == recordName
    }

    /// Reads the root and the children before the first record; transforms them.
    private func transformHead() throws(ReportError) -> (Data, Data) {
        // The root element.
        while true {
            guard try read() else { throw ReportError(.data, "the data has no root element", at: location()) }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                throw ReportError(.security, "data read in chunks must not have a DOCTYPE", at: location())
            }
            if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) { break }
        }
        rootName = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? "data"
        if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
            repeat {
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                rootAttributes.append((name, value))
            } while xmlTextReaderMoveToNextAttribute(reader) == 1
            xmlTextReaderMoveToElement(reader)
        }
        let (doc, root) = newChunkDocument()
        let document = XMLDocument(pointer: UnsafeMutableRawPointer(doc), fileName: fileName)
        if xmlTextReaderIsEmptyElement(reader) == 0 {
            guard try read() else { try readError(); return try splitHead(transform(document, part: "head")) }
            while true {
                let type = xmlTextReaderNodeType(reader)
                if type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) && xmlTextReaderDepth(reader) == 0 { break }
                if isRecord() { pendingRecord = true; break }
                if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) {
                    try takeSubtree(into: root, doc)
                    if pendingRecord { break }
                    if xmlTextReaderReadState(reader) == Int32(XML_TEXTREADER_MODE_EOF.rawValue) { break }
                    continue
                }
                if type == Int32(XML_READER_TYPE_TEXT.rawValue) || type == Int32(XML_READER_TYPE_CDATA.rawValue) {
                    if let v = xmlTextReaderConstValue(reader) { xmlAddChild(root, xmlNewDocText(doc, v)) }
                }
                guard try read() else { try readError(); break }
            }
        }
        return try splitHead(transform(document, part: "head"))
    }

    private func splitHead(_ out: Data) throws(ReportError) -> (Data, Data) {
        let marker = Data(Self.placeholder.utf8)
        guard let r = out.range(of: marker) else {
            throw ReportError(.stylesheet, "the head output of \(stylesheet.path) has no \(Self.placeholder) for the records (folio-chunk = 'head')",
                              at: SourceLocation(file: stylesheet.path, line: 1, column: 1))
        }
        return (out.subdata(in: out.startIndex..<r.lowerBound), out.subdata(in: r.upperBound..<out.endIndex))
    }

    /// Reads up to `chunkSize` records and transforms them; nil when no record is left.
    private func nextChunk() throws(ReportError) -> Data? {
        guard pendingRecord else { return nil }
        let (doc, root) = newChunkDocument()
        let document = XMLDocument(pointer: UnsafeMutableRawPointer(doc), fileName: fileName)
        var taken = 0
        while pendingRecord && taken < chunkSize {
            try takeSubtree(into: root, doc)
            taken += 1
            // Skip text and comments between records.
            while !pendingRecord {
                let type = xmlTextReaderNodeType(reader)
                if type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) && xmlTextReaderDepth(reader) == 0 { break }
                if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) && xmlTextReaderDepth(reader) == 1 { break }
                guard try read() else { try readError(); break }
                pendingRecord = isRecord()
            }
        }
        return try fragment(transform(document, part: "records"))
    }

    /// The content of the output's document element (its XML declaration and wrapper removed).
    private func fragment(_ out: Data) throws(ReportError) -> Data {
        let bytes = [UInt8](out)
        var i = 0
        // Skip the XML declaration, comments and processing instructions before the wrapper.
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            if i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "?") || bytes[i + 1] == UInt8(ascii: "!")) {
                while i < bytes.count && bytes[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
                continue
            }
            break
        }
        guard i < bytes.count else { return Data() }
        var j = i
        var quote: UInt8 = 0
        while j < bytes.count {
            let b = bytes[j]
            if quote != 0 { if b == quote { quote = 0 } } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b } else if b == UInt8(ascii: ">") { break }
            j += 1
        }
        guard j < bytes.count else {
            throw ReportError(.stylesheet, "the records output of \(stylesheet.path) is not well-formed", at: SourceLocation(file: stylesheet.path, line: 1, column: 1))
        }
        if bytes[j - 1] == UInt8(ascii: "/") { return Data() }   // <wrapper/>
        guard let end = bytes.lastIndex(of: UInt8(ascii: "<")), end > j else {
            throw ReportError(.stylesheet, "the records output of \(stylesheet.path) is not well-formed", at: SourceLocation(file: stylesheet.path, line: 1, column: 1))
        }
        return Data(bytes[(j + 1)..<end])
    }

    private func transform(_ document: XMLDocument, part: String) throws(ReportError) -> Data {
        var params = parameters
        params[Self.partParameter] = part
        params[Self.recordsParameter] = recordName
        return try XSLTTransformer.transform(stylesheet, document, parameters: params, limits: limits)
    }
}
