import CFolioShims
import CXML
import FolioRML
import Foundation

/// An element of a parsed data template, with the place of its start tag.
public struct TemplateNode: Sendable {
    public enum Content: Sendable {
        case element(TemplateNode)
        case text(String)
    }

    public var name: String
    public var attributes: [DataAttribute]
    public var children: [Content]
    public var location: SourceLocation

    public subscript(_ attribute: String) -> String? { attributes.first { $0.name == attribute }?.value }
    public var elements: [TemplateNode] { children.compactMap { if case .element(let e) = $0 { e } else { nil } } }
}

/// Parses data templates with libxml2's reader: any declared encoding (templates were often
/// ISO-8859-1), comments and processing instructions dropped, no network, no external DTD, entity
/// references refused. Errors name the file, line and column.
enum DataTemplateParser {
    static func parse(_ data: Data, fileName: String) throws(ReportError) -> TemplateNode {
        folio_xml_global_init()
        let index = TemplateLineIndex(data)
        let collector = TemplateErrorCollector()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        let maybeReader: xmlTextReaderPtr? = data.withUnsafeBytes { raw in
            xmlReaderForMemory(raw.bindMemory(to: CChar.self).baseAddress, Int32(data.count), fileName, nil, options)
        }
        guard let reader = maybeReader else {
            throw ReportError(.definition, "cannot create an XML reader", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, { ctx, error in
            guard let ctx, let error else { return }
            let collector = Unmanaged<TemplateErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, collector.first == nil else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
            collector.first = (message.trimmingCharacters(in: .whitespacesAndNewlines), Int(error.pointee.line), Int(error.pointee.int2))
        }, Unmanaged.passUnretained(collector).toOpaque())

        var stack: [TemplateNode] = []
        var root: TemplateNode?
        func close(_ node: TemplateNode) {
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(.element(node)) }
        }
        while xmlTextReaderRead(reader) == 1 {
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
                var attrs: [DataAttribute] = []
                if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
                    repeat {
                        let qname = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                        if !qname.hasPrefix("xmlns") {
                            attrs.append(DataAttribute(qname, xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""))
                        }
                    } while xmlTextReaderMoveToNextAttribute(reader) == 1
                    xmlTextReaderMoveToElement(reader)
                }
                let node = TemplateNode(name: name, attributes: attrs, children: [],
                                        location: index.locate(tag: name, nearLine: line, file: fileName))
                if xmlTextReaderIsEmptyElement(reader) == 1 { close(node) } else { stack.append(node) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let done = stack.popLast() { close(done) }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                if !stack.isEmpty, let v = xmlTextReaderConstValue(reader) {
                    stack[stack.count - 1].children.append(.text(String(cString: v)))
                }
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                let line = Int(xmlTextReaderGetParserLineNumber(reader))
                throw ReportError(.definition, "entity reference '&\(name);' is not allowed in data templates",
                                  at: SourceLocation(file: fileName, line: max(line, 1), column: 1))
            default:
                break
            }
        }
        if let (message, line, column) = collector.first {
            throw ReportError(.definition, message, at: SourceLocation(file: fileName, line: max(line, 1), column: max(column, 1)))
        }
        guard let root else {
            throw ReportError(.definition, "the template is empty", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        return root
    }
}

private final class TemplateErrorCollector {
    var first: (String, Int, Int)?
}

/// Finds the column of an element's start tag (libxml2 keeps only a line per node) by searching
/// the source for `<name` on that line or the lines before it.
private final class TemplateLineIndex {
    private let bytes: [UInt8]
    private var lineStarts: [Int] = [0]
    private var nextOffset: [Int: Int] = [:]

    init(_ data: Data) {
        bytes = [UInt8](data)
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
    }

    func locate(tag: String, nearLine line: Int, file: String) -> SourceLocation {
        let needle = Array(("<" + tag).utf8)
        var l = min(max(line, 1), lineStarts.count)
        let lowest = max(1, l - 50)
        while l >= lowest {
            let start = lineStarts[l - 1]
            let end = l < lineStarts.count ? lineStarts[l] : bytes.count
            var i = max(start, nextOffset[l] ?? start)
            while i + needle.count <= end {
                if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    let after = i + needle.count < bytes.count ? bytes[i + needle.count] : 0x20
                    if after == 0x20 || after == 0x3E || after == 0x2F || after == 0x0A || after == 0x0D || after == 0x09 {
                        nextOffset[l] = i + needle.count
                        let column = String(decoding: bytes[start..<i], as: UTF8.self).count + 1
                        return SourceLocation(file: file, line: l, column: column)
                    }
                }
                i += 1
            }
            l -= 1
        }
        return SourceLocation(file: file, line: max(line, 1), column: 1)
    }
}
