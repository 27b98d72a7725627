import CFolioShims
import CXML
import Foundation

/// Parses RML source into an `RMLDocument`.
///
/// Uses libxml2's streaming reader, so the source is read once and every element records the file,
/// line and column of its start tag. External entities and network access are refused.
public struct RMLParser: Sendable {
    /// The label used for locations (usually the path the user passed).
    public var fileName: String

    public init(fileName: String) {
        self.fileName = fileName
    }

    /// Parses a file from disk.
    public static func parse(contentsOf path: String, diagnostics: DiagnosticSink) throws(RMLError) -> RMLDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RMLError("cannot read file '\(path)'", at: nil)
        }
        return try RMLParser(fileName: path).parse(data, diagnostics: diagnostics)
    }

    /// Parses RML held in memory.
    public func parse(_ data: Data, diagnostics: DiagnosticSink) throws(RMLError) -> RMLDocument {
        folio_xml_global_init()
        let lineIndex = LineIndex(data)
        let collector = ErrorCollector()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOENT.rawValue)
        let maybeReader: xmlTextReaderPtr? = data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: CChar.self).baseAddress
            return xmlReaderForMemory(base, Int32(data.count), fileName, nil, options)
        }
        guard let reader = maybeReader else {
            throw RMLError("cannot create an XML reader", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        defer { xmlFreeTextReader(reader) }
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { ctx, error in
            guard let ctx, let error else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
            collector.add(
                message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                line: Int(error.pointee.line), column: Int(error.pointee.int2),
                isError: error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue)
        }, context)

        var stack: [RMLElement] = []
        var root: RMLElement?
        var steps = 0
        while true {
            let status = xmlTextReaderRead(reader)
            if status != 1 { break }
            steps += 1
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                let node = xmlTextReaderCurrentNode(reader)
                let reportedLine = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
                let loc = lineIndex.locate(tag: name, nearLine: reportedLine, file: fileName)
                var attrs: [RMLAttribute] = []
                if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
                    repeat {
                        let ns = xmlTextReaderConstNamespaceUri(reader)
                        let qname = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                        // Namespaced attributes (doc:example, xmlns) are annotations, not RML.
                        if ns == nil && !qname.hasPrefix("xmlns") {
                            let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                            attrs.append(RMLAttribute(name: qname, value: value))
                        }
                    } while xmlTextReaderMoveToNextAttribute(reader) == 1
                    xmlTextReaderMoveToElement(reader)
                }
                let element = RMLElement(name: name, attributes: attrs, location: loc)
                if xmlTextReaderIsEmptyElement(reader) == 1 {
                    append(.element(element), to: &stack, root: &root)
                } else {
                    stack.append(element)
                }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let done = stack.popLast() {
                    append(.element(done), to: &stack, root: &root)
                }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                if !stack.isEmpty, let value = xmlTextReaderConstValue(reader) {
                    stack[stack.count - 1].children.append(.text(String(cString: value)))
                }
            default:
                break
            }
        }
        if let first = collector.firstError {
            throw RMLError(first.message, at: SourceLocation(file: fileName, line: max(first.line, 1), column: max(first.column, 1)))
        }
        guard let root else {
            throw RMLError("the document is empty", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        return try RMLDocument(root: root, diagnostics: diagnostics)
    }

    private func append(_ node: RMLNode, to stack: inout [RMLElement], root: inout RMLElement?) {
        if stack.isEmpty {
            if case .element(let e) = node { root = e }
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}

/// Receives libxml2's structured errors for one parse.
private final class ErrorCollector {
    struct Entry { var message: String; var line: Int; var column: Int }
    var firstError: Entry?
    func add(message: String, line: Int, column: Int, isError: Bool) {
        if isError && firstError == nil { firstError = Entry(message: message, line: line, column: column) }
    }
}

/// Maps libxml2's line numbers to the exact line and column of an element's start tag.
///
/// libxml2 keeps only a line per node (sometimes the line where the start tag ends), so the column is
/// found by searching the source backwards for `<name`.
struct LineIndex {
    private let bytes: [UInt8]
    private var lineStarts: [Int] = [0]
    /// Next search offset per line, so that several elements on one line get successive columns.
    private final class Cursor {
        var offsets: [Int: Int] = [:]
        /// Last (byte offset, column) computed per line, so columns are counted incrementally:
        /// generated RML often has thousands of elements on one line.
        var columns: [Int: (Int, Int)] = [:]
    }
    private let cursor = Cursor()

    init(_ data: Data) {
        bytes = [UInt8](data)
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
    }

    private func matches(_ needle: [UInt8], at i: Int) -> Bool {
        for k in 1..<needle.count where bytes[i + k] != needle[k] { return false }
        return true
    }

    /// 1-based column (in characters) of byte offset `i` on line `l`.
    private func column(at i: Int, line l: Int, lineStart: Int) -> Int {
        var (from, col) = cursor.columns[l] ?? (lineStart, 1)
        if from > i { (from, col) = (lineStart, 1) }
        for b in bytes[from..<i] where b & 0xC0 != 0x80 { col += 1 }
        cursor.columns[l] = (i, col)
        return col
    }

    func locate(tag: String, nearLine line: Int, file: String) -> SourceLocation {
        let needle = Array(("<" + tag).utf8)
        var l = min(max(line, 1), lineStarts.count)
        let lowest = max(1, l - 50)
        while l >= lowest {
            let start = lineStarts[l - 1]
            let end = l < lineStarts.count ? lineStarts[l] : bytes.count
            var i = max(start, cursor.offsets[l] ?? start)
            while i + needle.count <= end {
                if bytes[i] == needle[0] && matches(needle, at: i) {
                    let after = i + needle.count < bytes.count ? bytes[i + needle.count] : 0x20
                    if after == 0x20 || after == 0x3E || after == 0x2F || after == 0x0A || after == 0x0D || after == 0x09 {
                        cursor.offsets[l] = i + needle.count
                        return SourceLocation(file: file, line: l, column: column(at: i, line: l, lineStart: start))
                    }
                }
                i += 1
            }
            l -= 1
        }
        return SourceLocation(file: file, line: max(line, 1), column: 1)
    }
}
