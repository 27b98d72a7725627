import CFolioShims
import CXML
import FolioRML
import Foundation

/// Chart rows read from a custom report's intermediate XML
/// (`<report>…<lines><row><col>label</col><col>1.5</col>…</row></lines></report>`): the first
/// column of each row is the label, the others the values of each series (empty = 0).
public struct ChartData: Sendable, Equatable {
    public var labels: [String]
    /// One array per value column, each with one value per label.
    public var series: [[Double]]

    public init(labels: [String], series: [[Double]]) {
        self.labels = labels
        self.series = series
    }

    /// Parses intermediate XML; `label` names the source in errors. Values may use a decimal
    /// point, optional thousands spaces, and a leading sign.
    public static func parse(intermediateXML data: Data, label: String = "<data>") throws(ReportError) -> ChartData {
        folio_xml_global_init()
        guard let ctxt = xmlNewParserCtxt() else { throw ReportError(.data, "\(label): cannot create an XML parser") }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc: xmlDocPtr? = data.withUnsafeBytes { raw in
            xmlCtxtReadMemory(ctxt, raw.bindMemory(to: CChar.self).baseAddress, Int32(data.count), label, nil, options)
        }
        guard let doc else {
            let e = ctxt.pointee.lastError
            let m = e.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "not well-formed XML"
            throw ReportError(.data, m, at: loc(label, Int(e.line), Int(e.int2)))
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc), name(root) == "report" else {
            throw ReportError(.data, "\(label): the root element must be <report>")
        }
        var labels: [String] = []
        var columns: [[Double]] = []
        var width: Int?
        for lines in children(root, "lines") {
            for row in children(lines, "row") {
                let cols = children(row, "col").map(text)
                let line = Int(xmlGetLineNo(row))
                guard let first = cols.first else {
                    throw ReportError(.data, "a row has no columns", at: loc(label, line, 1))
                }
                if width == nil {
                    width = cols.count
                    columns = Array(repeating: [], count: cols.count - 1)
                }
                guard cols.count == width else {
                    throw ReportError(.data, "a row has \(cols.count) columns, the first had \(width!)", at: loc(label, line, 1))
                }
                labels.append(first.trimmingCharacters(in: .whitespacesAndNewlines))
                for (j, raw) in cols.dropFirst().enumerated() {
                    guard let v = number(raw) else {
                        throw ReportError(.data, "column \(j + 2): '\(raw)' is not a number", at: loc(label, line, 1))
                    }
                    columns[j].append(v)
                }
            }
        }
        return ChartData(labels: labels, series: columns)
    }

    static func number(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{a0}", with: "").replacingOccurrences(of: "\u{202f}", with: "")
        if t.isEmpty || t == "False" || t == "false" { return 0 }
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }

    private static func name(_ n: xmlNodePtr) -> String { n.pointee.name.map { String(cString: $0) } ?? "" }

    private static func children(_ n: xmlNodePtr, _ tag: String) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = n.pointee.children
        while let cur = c {
            if cur.pointee.type == XML_ELEMENT_NODE && name(cur) == tag { out.append(cur) }
            c = cur.pointee.next
        }
        return out
    }

    private static func text(_ n: xmlNodePtr) -> String {
        guard let s = xmlNodeGetContent(n) else { return "" }
        defer { folio_xml_free(s) }
        return String(cString: s)
    }

    private static func loc(_ file: String, _ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: max(line, 1), column: max(column, 1))
    }
}
