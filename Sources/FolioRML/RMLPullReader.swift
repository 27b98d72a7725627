import CFolioShims
import CXML
import Foundation

/// Reads RML one node at a time with libxml2's streaming reader, fed from an `RMLSource` through
/// I/O callbacks, and builds `RMLElement`s for the parts the caller asks for: a whole subtree, or
/// only an element's start tag (a long table's `<blockTable>`, whose rows are then read one by one).
///
/// Every element gets the exact line and column of its start tag: the reader keeps a window of the
/// most recent bytes (libxml2 gives only the line) and finds the tag in it. External entities and
/// network access are refused.
public final class RMLPullReader {
    /// How names and entities are read.
    public struct Options: Sendable {
        /// Names keep their namespace prefixes and namespaced attributes are kept (`xmlns`
        /// declarations aside), for XML other than RML (data templates). RML drops both.
        public var qualifiedNames = false
        /// Entity references are expanded (RML); otherwise each one is refused with its place.
        public var expandEntities = true

        public init(qualifiedNames: Bool = false, expandEntities: Bool = true) {
            self.qualifiedNames = qualifiedNames
            self.expandEntities = expandEntities
        }
    }

    public let fileName: String
    private let options: Options
    private let reader: xmlTextReaderPtr
    private let feed: ByteFeed
    private let collector = XMLErrorCollector()

    /// A node the reader stopped on.
    public enum Node {
        /// A start tag: the element without its children, and whether it is empty (`<x/>`).
        case start(RMLElement, isEmpty: Bool)
        /// An end tag.
        case end
        /// Character data (whitespace included).
        case text(String)
    }

    public init(_ source: RMLSource, options readOptions: Options = Options()) throws(RMLError) {
        folio_xml_global_init()
        fileName = source.name
        options = readOptions
        feed = ByteFeed(try source.openBytes())
        // Big lines: past line 65,535 libxml2 would give every node line 65,535.
        var flags = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
        if readOptions.expandEntities { flags |= XML_PARSE_NOENT.rawValue }
        let options = Int32(flags)
        let context = Unmanaged.passUnretained(feed).toOpaque()
        guard let reader = xmlReaderForIO({ ctx, buffer, length in
            guard let ctx, let buffer, length > 0 else { return 0 }
            let feed = Unmanaged<ByteFeed>.fromOpaque(ctx).takeUnretainedValue()
            return Int32(feed.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
        }, { _ in 0 }, context, source.name, nil, options) else {
            throw RMLError("cannot create an XML reader", at: SourceLocation(file: source.name, line: 1, column: 1))
        }
        self.reader = reader
        let errors = Unmanaged.passUnretained(collector).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { ctx, error in
            guard let ctx, let error else { return }
            let collector = Unmanaged<XMLErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
            collector.add(message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                          line: Int(error.pointee.line), column: Int(error.pointee.int2),
                          isError: error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue)
        }, errors)
    }

    deinit { xmlFreeTextReader(reader) }

    /// Depth of the current node (the root element is 0).
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// The next node, or nil at the end of the document. Malformed XML throws with its place.
    public func next() throws(RMLError) -> Node? {
        while true {
            let status = xmlTextReaderRead(reader)
            try checkErrors()
            if status != 1 {
                if status < 0 { throw RMLError("the document could not be read", at: SourceLocation(file: fileName, line: 1, column: 1)) }
                return nil
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return .start(startTag(), isEmpty: xmlTextReaderIsEmptyElement(reader) == 1)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                if let value = xmlTextReaderConstValue(reader) { return .text(String(cString: value)) }
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                let line = max(1, Int(xmlTextReaderGetParserLineNumber(reader)))
                throw RMLError("entity reference '&\(name);' is not allowed", at: SourceLocation(file: fileName, line: line, column: 1))
            default:
                continue
            }
        }
    }

    /// Skips the rest of the element whose start tag was just returned (its children and end tag).
    public func skipElement() throws(RMLError) {
        guard xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue),
              xmlTextReaderIsEmptyElement(reader) == 0 else { return }
        let d = depth
        while let node = try next() {
            if case .end = node, depth == d { return }
        }
    }

    /// Reads the children of the element whose start tag was just returned, up to its end tag,
    /// and returns the element whole.
    public func finish(_ start: RMLElement, isEmpty: Bool) throws(RMLError) -> RMLElement {
        if isEmpty { return start }
        var stack = [start]
        while let node = try next() {
            switch node {
            case .start(let e, let empty):
                if empty { stack[stack.count - 1].children.append(.element(e)) } else { stack.append(e) }
            case .end:
                let done = stack.removeLast()
                if stack.isEmpty { return done }
                stack[stack.count - 1].children.append(.element(done))
            case .text(let t):
                stack[stack.count - 1].children.append(.text(t))
            }
        }
        throw RMLError("the document ends inside <\(start.name)>", at: start.location)
    }

    /// The element at the reader's start tag, without children.
    private func startTag() -> RMLElement {
        let name = (options.qualifiedNames ? xmlTextReaderConstName(reader) : xmlTextReaderConstLocalName(reader))
            .map { String(cString: $0) } ?? ""
        let node = xmlTextReaderCurrentNode(reader)
        let reportedLine = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
        let loc = feed.window.locate(tag: name, nearLine: reportedLine, file: fileName)
        var attrs: [RMLAttribute] = []
        if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
            repeat {
                let ns = xmlTextReaderConstNamespaceUri(reader)
                let qname = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                // Namespaced attributes (doc:example, xmlns) are annotations, not RML.
                if (ns == nil || options.qualifiedNames) && !qname.hasPrefix("xmlns") {
                    let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                    attrs.append(RMLAttribute(name: qname, value: value))
                }
            } while xmlTextReaderMoveToNextAttribute(reader) == 1
            xmlTextReaderMoveToElement(reader)
        }
        return RMLElement(name: name, attributes: attrs, location: loc)
    }

    private func checkErrors() throws(RMLError) {
        if let failure = feed.failure { throw failure }
        if let first = collector.firstError {
            throw RMLError(first.message, at: SourceLocation(file: fileName, line: max(first.line, 1), column: max(first.column, 1)))
        }
    }
}

/// Receives libxml2's structured errors for one reader.
final class XMLErrorCollector {
    struct Entry { var message: String; var line: Int; var column: Int }
    var firstError: Entry?
    func add(message: String, line: Int, column: Int, isError: Bool) {
        if isError && firstError == nil { firstError = Entry(message: message, line: line, column: column) }
    }
}

/// Hands the source's bytes to libxml2 and keeps the recent ones for locating start tags.
final class ByteFeed {
    private let bytes: RMLByteReader
    var window = LineWindow()
    var failure: RMLError? { bytes.failure }

    init(_ bytes: RMLByteReader) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = bytes.read(into: buffer)
        if n > 0 { window.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        return n
    }
}

/// The most recent bytes given to the parser, with their line starts, for finding the exact line
/// and column of a start tag. libxml2 keeps only a line per node (sometimes the line where the
/// start tag ends), so the column is found by searching backwards for `<name`. Older bytes are
/// dropped, so a long document is never held whole.
struct LineWindow {
    private var bytes: [UInt8] = []
    /// Absolute offset of `bytes[0]`.
    private var base = 0
    /// Line number of `lineStarts[0]`.
    private var firstLine = 1
    /// Absolute offsets where lines start, for lines `firstLine...`. The first may lie before
    /// `base` (a line cut by dropping old bytes); its column at `base` is `baseColumn`.
    private var lineStarts: [Int] = [0]
    private var baseColumn = 1
    /// Next search offset per line, so that several elements on one line get successive columns.
    private var searchFrom: [Int: Int] = [:]
    /// Last (offset, column) computed per line: columns are counted incrementally (generated RML
    /// often has thousands of elements on one line).
    private var columns: [Int: (Int, Int)] = [:]

    /// Bytes kept after dropping old ones; the reader is never further behind than this.
    static let keep = 1 << 18

    mutating func append(_ piece: UnsafeRawBufferPointer) {
        let start = base + bytes.count
        bytes.append(contentsOf: piece)
        var i = 0
        for b in piece {
            if b == 0x0A { lineStarts.append(start + i + 1) }
            i += 1
        }
        if bytes.count > 2 * Self.keep { dropOld() }
    }

    private mutating func dropOld() {
        let cut = base + bytes.count - Self.keep
        // The line holding the cut point stays (from the cut on).
        var l = lineIndex(containing: cut)
        if lineStarts[l] < base { l = 0 }
        let lineStart = lineStarts[l]
        var col = lineStart >= base ? 1 : baseColumn
        var from = max(lineStart, base)
        if let (o, c) = columns[firstLine + l], o <= cut, o >= from { (from, col) = (o, c) }
        for k in from..<cut where bytes[k - base] & 0xC0 != 0x80 { col += 1 }
        bytes.removeFirst(cut - base)
        base = cut
        baseColumn = lineStart == cut ? 1 : col
        let dropped = l
        if dropped > 0 {
            lineStarts.removeFirst(dropped)
            firstLine += dropped
        }
        searchFrom = searchFrom.filter { $0.key >= firstLine }
        columns = columns.filter { $0.key >= firstLine && $0.value.0 >= base }
    }

    /// Where line numbers are not known (past line 65,535): start tags come in document order, so
    /// the next `<name` after the last one found (outside comments and CDATA sections) is it.
    private mutating func locateForward(_ needle: [UInt8], file: String) -> SourceLocation? {
        let end = base + bytes.count
        var i = max(lastFound, base)
        func at(_ k: Int, _ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard k + n <= end else { return false }
            return s.withUTF8Buffer { p in (0..<n).allSatisfy { bytes[k - base + $0] == p[$0] } }
        }
        func skip(to close: StaticString, from k: Int) -> Int {
            var j = k
            while j < end && !at(j, close) { j += 1 }
            return j + close.utf8CodeUnitCount
        }
        while i + needle.count <= end {
            guard bytes[i - base] == 0x3C else { i += 1; continue }
            if at(i, "<!--") { i = skip(to: "-->", from: i + 4); continue }
            if at(i, "<![CDATA[") { i = skip(to: "]]>", from: i + 9); continue }
            if matches(needle, at: i) {
                let after = i + needle.count < end ? bytes[i + needle.count - base] : 0x20
                if after == 0x20 || after == 0x3E || after == 0x2F || after == 0x0A || after == 0x0D || after == 0x09 {
                    lastFound = i + needle.count
                    let idx = lineIndex(containing: i)
                    let l = firstLine + idx
                    searchFrom[l] = max(searchFrom[l] ?? 0, i + needle.count)
                    return SourceLocation(file: file, line: l, column: column(at: i, line: l, lineStart: lineStarts[idx]))
                }
            }
            i += 1
        }
        return nil
    }

    /// Index in `lineStarts` of the line holding absolute offset `offset`.
    private func lineIndex(containing offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    private func matches(_ needle: [UInt8], at i: Int) -> Bool {
        for k in 1..<needle.count where bytes[i - base + k] != needle[k] { return false }
        return true
    }

    /// 1-based column (in characters) of absolute offset `i` on line `l`.
    private mutating func column(at i: Int, line l: Int, lineStart: Int) -> Int {
        let start = max(lineStart, base)
        var (from, col) = columns[l] ?? (start, lineStart >= base ? 1 : baseColumn)
        if from > i || from < start { (from, col) = (start, lineStart >= base ? 1 : baseColumn) }
        for k in from..<i where bytes[k - base] & 0xC0 != 0x80 { col += 1 }
        columns[l] = (i, col)
        return col
    }

    /// `<name` as bytes, per element name seen.
    private var needles: [String: [UInt8]] = [:]

    /// Just past the last start tag found.
    private var lastFound = 0

    /// libxml2 gives every node after line 65,535 that line.
    static let lastExactLine = 65_534

    mutating func locate(tag: String, nearLine line: Int, file: String) -> SourceLocation {
        let needle: [UInt8]
        if let n = needles[tag] { needle = n } else {
            needle = Array(("<" + tag).utf8)
            if needles.count < 512 { needles[tag] = needle }
        }
        if line > Self.lastExactLine, let found = locateForward(needle, file: file) { return found }
        let lastLine = firstLine + lineStarts.count - 1
        var l = min(max(line, firstLine), lastLine)
        let lowest = max(firstLine, l - 50)
        let end = base + bytes.count
        while l >= lowest {
            let idx = l - firstLine
            let start = lineStarts[idx]
            let lineEnd = idx + 1 < lineStarts.count ? lineStarts[idx + 1] : end
            var i = max(start, base, searchFrom[l] ?? start)
            while i + needle.count <= lineEnd {
                if bytes[i - base] == needle[0] && matches(needle, at: i) {
                    let after = i + needle.count < end ? bytes[i + needle.count - base] : 0x20
                    if after == 0x20 || after == 0x3E || after == 0x2F || after == 0x0A || after == 0x0D || after == 0x09 {
                        searchFrom[l] = i + needle.count
                        lastFound = max(lastFound, i + needle.count)
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
