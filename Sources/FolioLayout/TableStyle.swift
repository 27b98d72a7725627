import FolioRML

// Table styles as ReportLab's `TableStyle` holds them (z3c.rml's `blockTableStyle` and the style
// attributes of `<td>`): per-cell style commands, backgrounds, lines, spans and no-split ranges,
// each over a cell range `start`–`stop` whose negative indices count from the end.

/// Horizontal alignment of a cell's content (ReportLab's `ALIGN` values).
enum CellAlignment: UInt8, Sendable { case left, center, right, decimal }

/// Vertical alignment of a cell's content (ReportLab's `VALIGN`; the default is `BOTTOM`).
enum CellVAlignment: UInt8, Sendable { case top, middle, bottom }

/// The style of one table cell (ReportLab's `CellStyle`), with ReportLab's defaults.
struct CellStyle: Hashable, Sendable {
    var fontName = "Helvetica"
    var fontSize = 10.0
    var leading = 12.0
    var leftPadding = 6.0
    var rightPadding = 6.0
    var topPadding = 3.0
    var bottomPadding = 3.0
    var color = Color.black
    var alignment = CellAlignment.left
    var valign = CellVAlignment.bottom
    var href: String?
    var destination: String?
}

/// A per-cell style command (`FONT`, `TEXTCOLOR`, `ALIGNMENT`, paddings…).
enum CellStyleOp: Sendable {
    /// `FONT`: name, then size (leading becomes 1.2 × size unless given).
    case font(name: String?, size: Double?, leading: Double?)
    case fontName(String)
    case fontSize(Double)
    case leading(Double)
    case textColor(Color)
    case alignment(CellAlignment)
    case valign(CellVAlignment)
    case leftPadding(Double)
    case rightPadding(Double)
    case topPadding(Double)
    case bottomPadding(Double)
    case href(String)
    case destination(String)

    func apply(to s: inout CellStyle) {
        switch self {
        case .font(let name, let size, let leading):
            if let name { s.fontName = name }
            if let size {
                s.fontSize = size
                s.leading = leading ?? size * 1.2
            } else if let leading {
                s.leading = leading
            }
        case .fontName(let v): s.fontName = v
        case .fontSize(let v): s.fontSize = v
        case .leading(let v): s.leading = v
        case .textColor(let v): s.color = v
        case .alignment(let v): s.alignment = v
        case .valign(let v): s.valign = v
        case .leftPadding(let v): s.leftPadding = v
        case .rightPadding(let v): s.rightPadding = v
        case .topPadding(let v): s.topPadding = v
        case .bottomPadding(let v): s.bottomPadding = v
        case .href(let v): s.href = v
        case .destination(let v): s.destination = v
        }
    }
}

/// ReportLab's special row coordinates `splitfirst` / `splitlast`: the first row after a split and
/// the last row before it.
enum SplitRow: Sendable { case first, last }

/// A cell range of a command: columns `sc...ec`, rows `sr...er` (negative = from the end until the
/// table resolves them), or the special split rows.
struct TableRange: Sendable, Equatable {
    var sc: Int, sr: Int, ec: Int, er: Int
    var special: SplitRow? = nil

    static func == (a: TableRange, b: TableRange) -> Bool {
        a.sc == b.sc && a.sr == b.sr && a.ec == b.ec && a.er == b.er && a.special == b.special
    }

    /// Negative indices resolved against the table size (ReportLab adds the count once).
    func resolved(cols: Int, rows: Int) -> TableRange {
        var r = self
        if r.sc < 0 { r.sc += cols }
        if r.ec < 0 { r.ec += cols }
        if r.sr < 0 { r.sr += rows }
        if r.er < 0 { r.er += rows }
        return r
    }

    /// With the row range moved (ReportLab's command rewriting on splits).
    func rows(_ sr: Int, _ er: Int) -> TableRange {
        TableRange(sc: sc, sr: sr, ec: ec, er: er, special: nil)
    }
}

/// A background command: one colour, or colours cycled over rows or columns.
struct TableBackground: Sendable {
    enum Kind: Sendable {
        case color(Color?)
        case rows([Color?])
        case cols([Color?])
    }
    var kind: Kind
    var range: TableRange
}

/// A line command (`lineStyle`): ReportLab's `GRID`, `BOX`, `LINEBELOW`… with its pen.
struct TableLine: Sendable {
    enum Op: String, Sendable {
        case grid = "GRID", box = "BOX", outline = "OUTLINE", innerGrid = "INNERGRID"
        case lineBelow = "LINEBELOW", lineAbove = "LINEABOVE", lineBefore = "LINEBEFORE", lineAfter = "LINEAFTER"
    }
    var op: Op
    var range: TableRange
    var weight: Double
    var color: Color?
    /// PDF line cap (0 butt, 1 round, 2 square); ReportLab's default is 1.
    var cap: Int?
    var dash: [Double]?
    var join: Int?
    /// Number of parallel lines and the distance between them (default: the line width).
    var count: Int
    var space: Double

    func with(_ op: Op, _ range: TableRange) -> TableLine {
        var l = self
        l.op = op
        l.range = range
        return l
    }
}

/// One command of a table style, in the order it was written.
enum TableStyleCommand: Sendable {
    case cell(CellStyleOp, TableRange)
    case background(TableBackground)
    case line(TableLine)
    case span(TableRange)
    case nosplit(TableRange)
}

/// Reads `blockTableStyle` content and `<td>` style attributes into commands.
struct TableStyleReader {
    let ctx: LayoutContext

    /// The commands of a `blockTableStyle` (its child elements), in order.
    func commands(_ elements: [RMLElement]) throws(RMLError) -> [TableStyleCommand] {
        var out: [TableStyleCommand] = []
        for e in elements {
            if let c = try command(e) { out.append(c) }
        }
        return out
    }

    private func range(_ e: RMLElement) throws(RMLError) -> TableRange {
        let start = try coordinate(e, "start", default: (0, 0, nil))
        let stop = try coordinate(e, "stop", default: (-1, -1, nil))
        return TableRange(sc: start.0, sr: start.1, ec: stop.0, er: stop.1, special: start.2 ?? stop.2)
    }

    private func coordinate(_ e: RMLElement, _ name: String, default def: (Int, Int, SplitRow?)) throws(RMLError) -> (Int, Int, SplitRow?) {
        guard let raw = e[name] else { return def }
        let parts = RMLValue.list(raw)
        func value(_ s: String) -> (Int, SplitRow?)? {
            switch s.lowercased() {
            case "splitfirst": return (0, .first)
            case "splitlast": return (0, .last)
            default:
                if let v = Int(s) { return (v, nil) }
                if let d = Double(s), d == d.rounded() { return (Int(d), nil) }
                return nil
            }
        }
        if parts.count == 2, let c = value(parts[0]), let r = value(parts[1]), c.1 == nil {
            return (c.0, r.0, r.1)
        }
        try ctx.diagnostics.warn("attribute '\(name)' on <\(e.name)>: '\(raw)' is not a cell coordinate 'column,row'", at: e.location)
        return def
    }

    private func length(_ e: RMLElement, _ name: String) throws(RMLError) -> Double? {
        try e.length(name, diagnostics: ctx.diagnostics)
    }

    private func color(_ e: RMLElement, _ name: String) throws(RMLError) -> Color? {
        guard let raw = e[name] else { return nil }
        return try ctx.color(raw, at: e.location)
    }

    /// A colour list (`colorNames`, `colorsByRow`); `None` leaves a row or column unpainted.
    private func colorList(_ e: RMLElement, _ name: String) throws(RMLError) -> [Color?]? {
        guard let raw = e[name] else { return nil }
        var out: [Color?] = []
        for item in RMLValue.list(raw) {
            if item.lowercased() == "none" { out.append(nil); continue }
            out.append(try ctx.color(item, at: e.location))
        }
        return out
    }

    static func alignment(_ raw: String) -> CellAlignment? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "left": .left
        case "right": .right
        case "center", "centre", "centred", "centered": .center
        case "decimal": .decimal
        default: nil
        }
    }

    static func valign(_ raw: String) -> CellVAlignment? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "top": .top
        case "middle", "center", "centre": .middle
        case "bottom": .bottom
        default: nil
        }
    }

    static func cap(_ raw: String) -> Int? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "butt", "0": 0
        case "round", "1": 1
        case "square", "projecting", "squared", "2": 2
        default: nil
        }
    }

    static func join(_ raw: String) -> Int? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "miter", "mitre", "0": 0
        case "round", "1": 1
        case "bevel", "2": 2
        default: nil
        }
    }

    private func alignmentValue(_ e: RMLElement, _ name: String) throws(RMLError) -> CellAlignment? {
        guard let raw = e[name] else { return nil }
        if let a = Self.alignment(raw) { return a }
        try ctx.diagnostics.warn("attribute '\(name)' on <\(e.name)>: unknown alignment '\(raw)'", at: e.location)
        return nil
    }

    private func valignValue(_ e: RMLElement, _ name: String) throws(RMLError) -> CellVAlignment? {
        guard let raw = e[name] else { return nil }
        if let a = Self.valign(raw) { return a }
        try ctx.diagnostics.warn("attribute '\(name)' on <\(e.name)>: unknown vertical alignment '\(raw)'", at: e.location)
        return nil
    }

    private func required<T>(_ v: T?, _ e: RMLElement, _ attribute: String) throws(RMLError) -> T? {
        if v == nil && !e.has(attribute) {
            try ctx.diagnostics.warn("<\(e.name)> needs the attribute '\(attribute)'; ignored", at: e.location)
        }
        return v
    }

    func command(_ e: RMLElement) throws(RMLError) -> TableStyleCommand? {
        let r = try range(e)
        switch e.name {
        case "blockFont":
            let name = e["name"]
            let size = try length(e, "size")
            let leading = try length(e, "leading")
            if name == nil && size == nil && leading == nil { return nil }
            return .cell(.font(name: name, size: size, leading: leading), r)
        case "blockLeading":
            guard let v = try required(try length(e, "length"), e, "length") else { return nil }
            return .cell(.leading(v), r)
        case "blockTextColor":
            guard let c = try required(try color(e, "colorName"), e, "colorName") else { return nil }
            return .cell(.textColor(c), r)
        case "blockAlignment":
            guard let a = try required(try alignmentValue(e, "value"), e, "value") else { return nil }
            return .cell(.alignment(a), r)
        case "blockValign":
            guard let a = try required(try valignValue(e, "value"), e, "value") else { return nil }
            return .cell(.valign(a), r)
        case "blockLeftPadding", "blockRightPadding", "blockTopPadding", "blockBottomPadding":
            guard let v = try required(try length(e, "length"), e, "length") else { return nil }
            switch e.name {
            case "blockLeftPadding": return .cell(.leftPadding(v), r)
            case "blockRightPadding": return .cell(.rightPadding(v), r)
            case "blockTopPadding": return .cell(.topPadding(v), r)
            default: return .cell(.bottomPadding(v), r)
            }
        case "blockBackground":
            if let rows = try colorList(e, "colorsByRow") {
                return .background(TableBackground(kind: .rows(rows), range: r))
            }
            if let cols = try colorList(e, "colorsByCol") {
                return .background(TableBackground(kind: .cols(cols), range: r))
            }
            guard let raw = e["colorName"] else {
                try ctx.diagnostics.warn("<blockBackground> needs 'colorName', 'colorsByRow' or 'colorsByCol'; ignored", at: e.location)
                return nil
            }
            let c: Color? = raw.lowercased() == "none" ? nil : try ctx.color(raw, at: e.location)
            return .background(TableBackground(kind: .color(c), range: r))
        case "blockRowBackground", "blockColBackground":
            guard let list = try colorList(e, "colorNames") else {
                try ctx.diagnostics.warn("<\(e.name)> needs the attribute 'colorNames'; ignored", at: e.location)
                return nil
            }
            return .background(TableBackground(kind: e.name == "blockRowBackground" ? .rows(list) : .cols(list), range: r))
        case "blockSpan":
            return .span(r)
        case "blockNosplit":
            return .nosplit(r)
        case "lineStyle":
            guard let kindRaw = e["kind"] else {
                try ctx.diagnostics.warn("<lineStyle> needs the attribute 'kind'; ignored", at: e.location)
                return nil
            }
            guard let op = TableLine.Op(rawValue: kindRaw.trimmingCharacters(in: .whitespaces).uppercased()) else {
                try ctx.diagnostics.warn("<lineStyle>: unknown kind '\(kindRaw)'; ignored", at: e.location)
                return nil
            }
            let weight = try length(e, "thickness") ?? 1
            var cap = 1
            if let raw = e["cap"] {
                if let c = Self.cap(raw) { cap = c } else {
                    try ctx.diagnostics.warn("attribute 'cap' on <lineStyle>: unknown cap '\(raw)'", at: e.location)
                }
            }
            var join = 1
            if let raw = e["join"] {
                if let j = Self.join(raw) { join = j } else {
                    try ctx.diagnostics.warn("attribute 'join' on <lineStyle>: unknown join '\(raw)'", at: e.location)
                }
            }
            let dash = try e.lengths("dash", diagnostics: ctx.diagnostics)
            let count = max(1, Int(try e.number("count", diagnostics: ctx.diagnostics) ?? 1))
            let space = try length(e, "space") ?? weight
            return .line(TableLine(op: op, range: r, weight: weight, color: try color(e, "colorName"), cap: cap,
                                   dash: dash, join: join, count: count, space: space))
        default:
            try ctx.diagnostics.warn("<\(e.name)> is not a table style command and is ignored", at: e.location)
            return nil
        }
    }

    /// The style commands z3c.rml makes of a `<td>`'s attributes, for that cell only.
    func cellCommands(_ td: RMLElement, col: Int, row: Int) throws(RMLError) -> [TableStyleCommand] {
        if td.attributes.isEmpty { return [] }
        let r = TableRange(sc: col, sr: row, ec: col, er: row)
        var out: [TableStyleCommand] = []
        if let v = td["fontName"] { out.append(.cell(.fontName(v), r)) }
        if let v = try length(td, "fontSize") { out.append(.cell(.fontSize(v), r)) }
        if let v = try color(td, "fontColor") { out.append(.cell(.textColor(v), r)) }
        if let v = try length(td, "leading") { out.append(.cell(.leading(v), r)) }
        if let v = try length(td, "leftPadding") { out.append(.cell(.leftPadding(v), r)) }
        if let v = try length(td, "rightPadding") { out.append(.cell(.rightPadding(v), r)) }
        if let v = try length(td, "topPadding") { out.append(.cell(.topPadding(v), r)) }
        if let v = try length(td, "bottomPadding") { out.append(.cell(.bottomPadding(v), r)) }
        if let raw = td["background"] {
            let c: Color? = raw.lowercased() == "none" ? nil : try ctx.color(raw, at: td.location)
            out.append(.background(TableBackground(kind: .color(c), range: r)))
        }
        if let v = try alignmentValue(td, "align") { out.append(.cell(.alignment(v), r)) }
        if let v = try valignValue(td, "vAlign") { out.append(.cell(.valign(v), r)) }
        for (op, side) in [(TableLine.Op.lineBelow, "Below"), (.lineAbove, "Above"), (.lineBefore, "Left"), (.lineAfter, "Right")] {
            let p = "line" + side
            guard td.has(p + "Thickness") || td.has(p + "Color") || td.has(p + "Dash") || td.has(p + "Count") else { continue }
            let weight = try length(td, p + "Thickness") ?? 1
            var cap = 1
            if let raw = td[p + "Cap"], let c = Self.cap(raw) { cap = c }
            let count = max(1, Int(try td.number(p + "Count", diagnostics: ctx.diagnostics) ?? 1))
            out.append(.line(TableLine(op: op, range: r, weight: weight, color: try color(td, p + "Color"), cap: cap,
                                       dash: try td.lengths(p + "Dash", diagnostics: ctx.diagnostics), join: 1,
                                       count: count, space: try length(td, p + "Space") ?? weight)))
        }
        if let v = td["href"] { out.append(.cell(.href(v), r)) }
        if let v = td["destination"] { out.append(.cell(.destination(v), r)) }
        return out
    }
}
