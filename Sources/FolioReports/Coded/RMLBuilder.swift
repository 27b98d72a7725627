import Foundation

// A small builder for RML documents written in code (coded reports): one page template with
// optional page graphics, paragraph and table styles, and a story of paragraphs, spacers, tables
// and page breaks. All text is escaped; numbers are written with at most two decimals.
//
//     var doc = RMLDocumentBuilder(title: "Price list", pageSize: .a4)
//     doc.paraStyle(RMLParaStyle("title", fontName: "Helvetica-Bold", fontSize: 16))
//     doc.pageGraphics = [.setFont("Helvetica", 8), .pageXofY(x: 553, y: 28, anchor: .right)]
//     doc.para("Prices & conditions", style: "title")
//     doc.table([["Code", "Name"], ["A1", "Lamp <E27>"]], colWidths: [60, 200], repeatRows: 1)
//     let rml: Data = doc.data()

/// XML escaping for RML text and attributes. Characters XML 1.0 cannot carry (C0 controls other
/// than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF) are dropped.
public enum RMLText {
    /// Escapes `&`, `<`, `>` for character data.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if isAllowed(u) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Escapes for a double-quoted attribute value (also `"`, and tab/newline as references so
    /// that they survive attribute normalisation).
    public static func attribute(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                if isAllowed(u) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    static func isAllowed(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD: return true
        case 0..<0x20: return false
        case 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }
}

/// A page size in points.
public struct RMLPageSize: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
    public static let a4 = RMLPageSize(width: 595.28, height: 841.89)
    /// 148 × 210 mm.
    public static let a5 = RMLPageSize(width: 419.53, height: 595.28)
    public static let letter = RMLPageSize(width: 612, height: 792)
    /// The same size with the long side horizontal.
    public var landscape: RMLPageSize { RMLPageSize(width: max(width, height), height: min(width, height)) }
    public var portrait: RMLPageSize { RMLPageSize(width: min(width, height), height: max(width, height)) }
}

public enum RMLAlignment: String, Sendable {
    case left, center, right, justify
}

/// A `<paraStyle>`; nil properties are not written (inherited from `parent` or the default).
public struct RMLParaStyle: Sendable, Equatable {
    public var name: String
    public var parent: String?
    public var fontName: String?
    public var fontSize: Double?
    public var leading: Double?
    public var alignment: RMLAlignment?
    public var textColor: String?
    public var backColor: String?
    public var spaceBefore: Double?
    public var spaceAfter: Double?
    public var leftIndent: Double?
    public var rightIndent: Double?

    public init(_ name: String, parent: String? = nil, fontName: String? = nil, fontSize: Double? = nil,
                leading: Double? = nil, alignment: RMLAlignment? = nil, textColor: String? = nil,
                backColor: String? = nil, spaceBefore: Double? = nil, spaceAfter: Double? = nil,
                leftIndent: Double? = nil, rightIndent: Double? = nil) {
        self.name = name; self.parent = parent; self.fontName = fontName; self.fontSize = fontSize
        self.leading = leading; self.alignment = alignment; self.textColor = textColor; self.backColor = backColor
        self.spaceBefore = spaceBefore; self.spaceAfter = spaceAfter; self.leftIndent = leftIndent; self.rightIndent = rightIndent
    }

    var xml: String {
        var a: [(String, String)] = [("name", name)]
        if let parent { a.append(("parent", parent)) }
        if let fontName { a.append(("fontName", fontName)) }
        if let fontSize { a.append(("fontSize", RMLWriter.n(fontSize))) }
        if let leading { a.append(("leading", RMLWriter.n(leading))) }
        if let alignment { a.append(("alignment", alignment.rawValue)) }
        if let textColor { a.append(("textColor", textColor)) }
        if let backColor { a.append(("backColor", backColor)) }
        if let spaceBefore { a.append(("spaceBefore", RMLWriter.n(spaceBefore))) }
        if let spaceAfter { a.append(("spaceAfter", RMLWriter.n(spaceAfter))) }
        if let leftIndent { a.append(("leftIndent", RMLWriter.n(leftIndent))) }
        if let rightIndent { a.append(("rightIndent", RMLWriter.n(rightIndent))) }
        return RMLWriter.element("paraStyle", a)
    }
}

/// A cell of a table: column, row (negative counts from the end, as in RML).
public struct RMLCellRef: Sendable, Equatable {
    public var column: Int
    public var row: Int
    public init(_ column: Int, _ row: Int) { self.column = column; self.row = row }
    public static let first = RMLCellRef(0, 0)
    public static let last = RMLCellRef(-1, -1)
    var text: String { "\(column),\(row)" }
}

/// One command of a `<blockTableStyle>`, applied from `start` to `stop`.
public enum RMLTableCommand: Sendable, Equatable {
    public enum LineKind: String, Sendable { case grid = "GRID", box = "BOX", innerGrid = "INNERGRID", lineAbove = "LINEABOVE", lineBelow = "LINEBELOW", lineBefore = "LINEBEFORE", lineAfter = "LINEAFTER" }
    case font(name: String, size: Double?, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    case textColor(String, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    case background(String, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    /// Alternating row colours.
    case rowBackgrounds([String], start: RMLCellRef = .first, stop: RMLCellRef = .last)
    case line(LineKind, color: String, thickness: Double = 0.5, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    case alignment(RMLAlignment, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    /// `TOP`, `MIDDLE` or `BOTTOM`.
    case valign(String, start: RMLCellRef = .first, stop: RMLCellRef = .last)
    case span(start: RMLCellRef, stop: RMLCellRef)
    case padding(top: Double?, bottom: Double?, left: Double?, right: Double?, start: RMLCellRef = .first, stop: RMLCellRef = .last)

    var xml: String {
        func se(_ s: RMLCellRef, _ e: RMLCellRef) -> [(String, String)] { [("start", s.text), ("stop", e.text)] }
        switch self {
        case let .font(name, size, s, e):
            return RMLWriter.element("blockFont", [("name", name)] + (size.map { [("size", RMLWriter.n($0))] } ?? []) + se(s, e))
        case let .textColor(c, s, e): return RMLWriter.element("blockTextColor", [("colorName", c)] + se(s, e))
        case let .background(c, s, e): return RMLWriter.element("blockBackground", [("colorName", c)] + se(s, e))
        case let .rowBackgrounds(cs, s, e): return RMLWriter.element("blockRowBackground", [("colorNames", cs.joined(separator: ","))] + se(s, e))
        case let .line(kind, c, t, s, e):
            return RMLWriter.element("lineStyle", [("kind", kind.rawValue), ("colorName", c), ("thickness", RMLWriter.n(t))] + se(s, e))
        case let .alignment(a, s, e): return RMLWriter.element("blockAlignment", [("value", a.rawValue.uppercased())] + se(s, e))
        case let .valign(v, s, e): return RMLWriter.element("blockValign", [("value", v)] + se(s, e))
        case let .span(s, e): return RMLWriter.element("blockSpan", se(s, e))
        case let .padding(t, b, l, r, s, e):
            var out: [String] = []
            if let t { out.append(RMLWriter.element("blockTopPadding", [("length", RMLWriter.n(t))] + se(s, e))) }
            if let b { out.append(RMLWriter.element("blockBottomPadding", [("length", RMLWriter.n(b))] + se(s, e))) }
            if let l { out.append(RMLWriter.element("blockLeftPadding", [("length", RMLWriter.n(l))] + se(s, e))) }
            if let r { out.append(RMLWriter.element("blockRightPadding", [("length", RMLWriter.n(r))] + se(s, e))) }
            return out.joined(separator: "\n")
        }
    }
}

/// A `<blockTableStyle>`.
public struct RMLTableStyle: Sendable, Equatable {
    public var id: String
    public var commands: [RMLTableCommand]
    public init(_ id: String, _ commands: [RMLTableCommand]) { self.id = id; self.commands = commands }
    var xml: String {
        "<blockTableStyle id=\"\(RMLText.attribute(id))\">\n" + commands.map { "  " + $0.xml }.joined(separator: "\n") + "\n</blockTableStyle>"
    }
}

/// A table cell: plain text (escaped), optionally in a paragraph style so that it wraps.
public struct RMLCell: Sendable, Equatable, ExpressibleByStringLiteral {
    public var text: String
    /// With a style the cell holds `<para style=…>` (wrapping); without, plain cell text.
    public var style: String?
    public init(_ text: String, style: String? = nil) { self.text = text; self.style = style }
    public init(stringLiteral value: String) { self.init(value) }
    public static let empty = RMLCell("")
    var xml: String {
        if let style { return "<td><para style=\"\(RMLText.attribute(style))\">\(RMLText.escape(text))</para></td>" }
        return "<td>\(RMLText.escape(text))</td>"
    }
}

/// A drawing operation for page graphics (header, footer).
public enum RMLGraphic: Sendable, Equatable {
    public enum Anchor: Sendable { case left, right, centre }
    case setFont(String, Double)
    case fill(String)
    case stroke(String)
    case lineWidth(Double)
    case string(String, x: Double, y: Double, anchor: Anchor = .left)
    /// "Page X of Y" (with `<pageNumber/>` and `<pageCount/>`); `format` uses `{page}` and `{count}`.
    case pageXofY(x: Double, y: Double, anchor: Anchor = .right, format: String = "Page {page} of {count}")
    case line(Double, Double, Double, Double)
    case rect(x: Double, y: Double, width: Double, height: Double, fill: Bool = true, stroke: Bool = false)

    var xml: String {
        func tag(_ a: Anchor) -> String { a == .left ? "drawString" : a == .right ? "drawRightString" : "drawCentredString" }
        let n = RMLWriter.n
        switch self {
        case let .setFont(name, size): return RMLWriter.element("setFont", [("name", name), ("size", n(size))])
        case let .fill(c): return RMLWriter.element("fill", [("color", c)])
        case let .stroke(c): return RMLWriter.element("stroke", [("color", c)])
        case let .lineWidth(w): return RMLWriter.element("lineMode", [("width", n(w))])
        case let .string(s, x, y, a): return "<\(tag(a)) x=\"\(n(x))\" y=\"\(n(y))\">\(RMLText.escape(s))</\(tag(a))>"
        case let .pageXofY(x, y, a, format):
            let body = RMLText.escape(format).replacingOccurrences(of: "{page}", with: "<pageNumber/>")
                .replacingOccurrences(of: "{count}", with: "<pageCount/>")
            return "<\(tag(a)) x=\"\(n(x))\" y=\"\(n(y))\">\(body)</\(tag(a))>"
        case let .line(x1, y1, x2, y2): return "<lines>\(n(x1)) \(n(y1)) \(n(x2)) \(n(y2))</lines>"
        case let .rect(x, y, w, h, f, s):
            return RMLWriter.element("rect", [("x", n(x)), ("y", n(y)), ("width", n(w)), ("height", n(h)), ("fill", f ? "1" : "0"), ("stroke", s ? "1" : "0")])
        }
    }
}

/// A flowable of the story.
public enum RMLFlowable: Sendable, Equatable {
    /// A paragraph of plain text (escaped).
    case para(String, style: String?)
    case spacer(Double)
    case table(rows: [[RMLCell]], colWidths: [Double]?, style: String?, repeatRows: Int)
    case pageBreak
    /// A chart or drawing: canvas operations inside `<illustration>` (trusted RML, not escaped).
    case illustration(width: Double, height: Double, rml: String)

    var xml: String {
        switch self {
        case let .para(text, style):
            return "<para\(style.map { " style=\"\(RMLText.attribute($0))\"" } ?? "")>\(RMLText.escape(text))</para>"
        case let .spacer(h): return "<spacer length=\"\(RMLWriter.n(h))\"/>"
        case .pageBreak: return "<pageBreak/>"
        case let .illustration(w, h, rml):
            return "<illustration width=\"\(RMLWriter.n(w))\" height=\"\(RMLWriter.n(h))\">\n\(rml)\n</illustration>"
        case let .table(rows, widths, style, repeatRows):
            var a: [(String, String)] = []
            if let widths { a.append(("colWidths", widths.map(RMLWriter.n).joined(separator: ","))) }
            if let style { a.append(("style", style)) }
            if repeatRows > 0 { a.append(("repeatRows", String(repeatRows))) }
            let open = "<blockTable" + a.map { " \($0.0)=\"\(RMLText.attribute($0.1))\"" }.joined() + ">"
            let body = rows.map { "  <tr>" + $0.map(\.xml).joined() + "</tr>" }.joined(separator: "\n")
            return open + "\n" + body + "\n</blockTable>"
        }
    }
}

/// Builds an RML document with one page template (frame = page minus margins) and its story.
public struct RMLDocumentBuilder: Sendable {
    public var title: String
    public var author: String
    public var pageSize: RMLPageSize
    public var leftMargin: Double, rightMargin: Double, topMargin: Double, bottomMargin: Double
    /// Drawn on every page (header, footer).
    public var pageGraphics: [RMLGraphic] = []
    public var paraStyles: [RMLParaStyle] = []
    public var tableStyles: [RMLTableStyle] = []
    public var story: [RMLFlowable] = []

    public init(title: String, author: String = "Folio", pageSize: RMLPageSize = .a4, margins: Double = 42.52) {
        self.title = title; self.author = author; self.pageSize = pageSize
        leftMargin = margins; rightMargin = margins; topMargin = margins; bottomMargin = margins
    }

    /// The frame width (page width minus left and right margins).
    public var frameWidth: Double { pageSize.width - leftMargin - rightMargin }

    public mutating func paraStyle(_ s: RMLParaStyle) { paraStyles.append(s) }
    public mutating func tableStyle(_ s: RMLTableStyle) { tableStyles.append(s) }
    public mutating func para(_ text: String, style: String? = nil) { story.append(.para(text, style: style)) }
    public mutating func spacer(_ height: Double) { story.append(.spacer(height)) }
    public mutating func pageBreak() { story.append(.pageBreak) }
    public mutating func table(_ rows: [[RMLCell]], colWidths: [Double]? = nil, style: String? = nil, repeatRows: Int = 0) {
        story.append(.table(rows: rows, colWidths: colWidths, style: style, repeatRows: repeatRows))
    }
    public mutating func append(_ f: RMLFlowable) { story.append(f) }

    /// The document as RML text.
    public func xml() -> String {
        let n = RMLWriter.n
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<document filename=\"report.pdf\" title=\"\(RMLText.attribute(title))\" author=\"\(RMLText.attribute(author))\">\n"
        out += "<template pagesize=\"(\(n(pageSize.width)),\(n(pageSize.height)))\" title=\"\(RMLText.attribute(title))\" author=\"\(RMLText.attribute(author))\">\n"
        out += "<pageTemplate id=\"main\">\n<pageGraphics>\n"
        out += pageGraphics.map(\.xml).joined(separator: "\n")
        out += "\n</pageGraphics>\n"
        out += "<frame id=\"body\" x1=\"\(n(leftMargin))\" y1=\"\(n(bottomMargin))\" width=\"\(n(pageSize.width - leftMargin - rightMargin))\" height=\"\(n(pageSize.height - topMargin - bottomMargin))\"/>\n"
        out += "</pageTemplate>\n</template>\n<stylesheet>\n"
        out += (paraStyles.map(\.xml) + tableStyles.map(\.xml)).joined(separator: "\n")
        out += "\n</stylesheet>\n<story>\n"
        out += story.isEmpty ? "<spacer length=\"1\"/>" : story.map(\.xml).joined(separator: "\n")
        out += "\n</story>\n</document>\n"
        return out
    }

    /// The document as UTF-8 bytes.
    public func data() -> Data { Data(xml().utf8) }
}

enum RMLWriter {
    static func n(_ v: Double) -> String { ChartFormat.coordinate(v) }
    static func element(_ name: String, _ attrs: [(String, String)]) -> String {
        "<\(name)" + attrs.map { " \($0.0)=\"\(RMLText.attribute($0.1))\"" }.joined() + "/>"
    }
}
