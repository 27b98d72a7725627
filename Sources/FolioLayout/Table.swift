import FolioRML

// `<blockTable>` as z3c.rml builds it and ReportLab's `Table` lays it out.
//
// The table's data (cells, per-cell styles, measured sizes) lives once in a `TableModel`; the
// flowables the frame loop sees (`Table`, in TableLayout.swift) are views of a range of its rows with
// their own style commands, so splitting a 10,000-row table page by page never copies or re-measures
// rows.

/// What a cell holds: text drawn line by line in the cell font, or flowables stacked in the cell.
enum TableCellValue {
    case text(String)
    case flowables(TableFlowCell)

    static var empty: TableCellValue { .text("") }

    var isEmpty: Bool {
        switch self {
        case .text(let s): s.isEmpty
        case .flowables(let f): f.items.isEmpty
        }
    }
}

/// Flowables of one cell, with the paragraphs they came from (for ReportLab's minimum width).
final class TableFlowCell {
    var items: [Flowable]
    /// Paragraph elements of the cell and the paragraphs made from them (whose styles count).
    let paragraphs: [(RMLElement, Paragraph)]
    private var minWidthCache: Double?

    init(_ items: [Flowable], paragraphs: [(RMLElement, Paragraph)] = []) {
        self.items = items
        self.paragraphs = paragraphs
    }

    /// Whether every flowable has a width of its own (images, illustrations, spacers), so a column
    /// can be sized to it (ReportLab's `_fixedWidth`).
    var fixedWidth: Bool { items.allSatisfy { Self.fixedWidth($0) != nil } }

    static func fixedWidth(_ f: Flowable) -> Double? {
        switch f {
        case let i as ImageFlowable: i.width
        case let i as Illustration: i.width
        case let s as Spacer: s.width
        default: nil
        }
    }

    /// ReportLab's `_elementWidth` of a flowable list: fixed widths, else each flowable's minimum
    /// width (a paragraph's longest word, a table's column minimum).
    func minWidth(_ ctx: LayoutContext) throws(RMLError) -> Double {
        if let minWidthCache { return minWidthCache }
        var w = 0.0
        for f in items {
            if let fw = Self.fixedWidth(f) {
                w = max(w, fw)
            } else if let t = f as? Table {
                w = max(w, try t.model.minWidth(ctx))
            } else if let g = f as? TableGuard {
                w = max(w, try g.table.model.minWidth(ctx))
            }
        }
        for (e, paragraph) in paragraphs {
            let style = paragraph.style
            let face = ctx.face(style.fontName, at: e.location)
            let istyle = InlineStyle(face: face, size: style.fontSize, color: style.textColor)
            var longest = 0.0
            for word in e.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
                longest = max(longest, ctx.shaper.shapeLine(String(word), style: istyle).width)
            }
            w = max(w, longest + style.leftIndent + style.rightIndent)
        }
        minWidthCache = w
        return w
    }
}

/// A column width as written: absolute, a percentage of the width left, a share (`*`) of what
/// remains, or automatic (from the content).
enum ColumnWidth: Equatable {
    case absolute(Double)
    case percent(Double)
    case star(Double)
    case auto

    var isAutoOrStar: Bool {
        switch self {
        case .auto, .star: true
        default: false
        }
    }
}

/// Turns `<blockTable>` into a table flowable, as z3c.rml's `BlockTable` directive does.
struct TableReader {
    let ctx: LayoutContext
    let story: StoryReader

    /// Story elements that make a cell hold flowables rather than text.
    static let flowableNames: Set<String> = [
        "para", "p", "title", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "xpre", "spacer", "keepTogether",
        "blockTable", "table", "hr", "illustration", "image", "img", "barCodeFlowable", "indent", "fixedSize",
        "keepInFrame", "ul", "ol", "dl", "pto", "imageAndFlowables", "blockNosplit", "section", "outlineAdd",
        "bookmark", "bookmarkPage", "condPageBreak", "nextFrame", "nextPage", "setNextTemplate", "codesnippet",
    ]

    /// The commands of the table style a `<blockTable>` names.
    func namedStyleCommands(_ e: RMLElement) throws(RMLError) -> [TableStyleCommand] {
        guard let name = e["style"] else { return [] }
        let stripped = name.hasPrefix("style.") ? String(name.dropFirst(6)) : name
        if let elements = ctx.tableStyles[name] ?? ctx.tableStyles[stripped] {
            return try TableStyleReader(ctx: ctx).commands(elements)
        }
        try ctx.diagnostics.warn("unknown table style '\(name)'", at: e.location)
        return []
    }

    /// A `<tr>`'s cells and the commands of its `<td>` attributes (row number `index`).
    func row(_ tr: RMLElement, index: Int) throws(RMLError) -> TableSourceRow {
        let styles = TableStyleReader(ctx: ctx)
        var row: [TableCellValue] = []
        var commands: [TableStyleCommand] = []
        for td in tr.elements {
            guard td.name == "td" else {
                try ctx.diagnostics.warn("<\(td.name)> in <tr> is ignored (only <td> is allowed)", at: td.location)
                continue
            }
            commands += try styles.cellCommands(td, col: row.count, row: index)
            row.append(try cellValue(td))
        }
        return TableSourceRow(cells: row, commands: commands, location: tr.location)
    }

    func table(_ e: RMLElement) throws(RMLError) -> Flowable {
        let styles = TableStyleReader(ctx: ctx)
        var commands = try namedStyleCommands(e)
        var keepWithNext = false
        var rows: [[TableCellValue]] = []
        var rowLocations: [SourceLocation] = []
        for child in e.elements {
            switch child.name {
            case "tr":
                let r = try row(child, index: rows.count)
                commands += r.commands
                rows.append(r.cells)
                rowLocations.append(child.location)
            case "bulkData":
                // As z3c.rml: the CSV-like content replaces the rows read so far.
                rows = Self.bulkRows(child.text).map { $0.map { TableCellValue.text($0) } }
                rowLocations = Array(repeating: child.location, count: rows.count)
            case "blockTableStyle":
                commands += try styles.commands(child.elements)
                if let k = try child.bool("keepWithNext", diagnostics: ctx.diagnostics) { keepWithNext = k }
            default:
                try ctx.diagnostics.warn("<\(child.name)> is not allowed in <blockTable> and is ignored", at: child.location)
            }
        }
        let ncols = rows.map(\.count).max() ?? 0
        guard !rows.isEmpty, ncols > 0 else {
            try ctx.diagnostics.warn("<blockTable> has no rows or no cells and is left out", at: e.location)
            return Spacer(width: 0, height: 0, location: e.location)
        }
        let first = rows.enumerated().map { TableSourceRow(cells: $0.element, commands: [], location: rowLocations[$0.offset]) }
        return try build(e, firstRows: first, source: nil, ncols: ncols, commands: commands, keepWithNext: keepWithNext).0
    }

    /// The table flowable for a `<blockTable>` and its rows: all of them (`source` nil; `<td>`
    /// commands already in `commands`) or the first ones, the others read from `source`.
    func build(_ e: RMLElement, firstRows rows: [TableSourceRow], source: TableRowSource?, ncols: Int,
               commands: [TableStyleCommand], keepWithNext: Bool) throws(RMLError) -> (Flowable, TableModel) {
        var keepWithNext = keepWithNext

        var widths = Array(repeating: ColumnWidth.auto, count: ncols)
        if let raw = e["colWidths"] {
            var list: [ColumnWidth] = []
            for item in RMLValue.list(raw) {
                if let w = Self.columnWidth(item) { list.append(w) } else {
                    try ctx.diagnostics.warn("attribute 'colWidths' on <blockTable>: '\(item)' is not a width; automatic width used", at: e.location)
                    list.append(.auto)
                }
            }
            // As ReportLab with short rows allowed: a short list repeats its last width, a long one is cut.
            if !list.isEmpty {
                while list.count < ncols { list.append(list.last!) }
                widths = Array(list.prefix(ncols))
            }
        }
        var heights = Array(repeating: Double?.none, count: source == nil ? rows.count : 0)
        if let raw = e["rowHeights"] {
            let items = RMLValue.list(raw)
            if source != nil {
                heights = Array(repeating: nil, count: items.count)
            } else if items.count != rows.count {
                try ctx.diagnostics.warn("<blockTable> has \(rows.count) rows but \(items.count) row heights; the others are automatic", at: e.location)
            }
            for (i, item) in items.prefix(heights.count).enumerated() {
                let lower = item.lowercased()
                if lower == "none" || lower == "auto" || lower == "*" { continue }
                if let v = RMLValue.length(item) { heights[i] = v } else {
                    try ctx.diagnostics.warn("attribute 'rowHeights' on <blockTable>: '\(item)' is not a length; automatic height used", at: e.location)
                }
            }
        }
        if let k = try e.bool("keepWithNext", diagnostics: ctx.diagnostics) { keepWithNext = k }

        var align = HorizontalAlignment.center
        if let raw = e["alignment"] ?? e["hAlign"] ?? e["align"] {
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "left": align = .left
            case "right": align = .right
            case "center", "centre", "centred", "centered": align = .center
            default:
                try ctx.diagnostics.warn("attribute 'alignment' on <blockTable>: unknown alignment '\(raw)', centre used", at: e.location)
            }
        }
        let repeatRows = max(0, Int(try e.number("repeatRows", diagnostics: ctx.diagnostics) ?? 0))
        let splitByRow = try e.bool("splitByRow", diagnostics: ctx.diagnostics) ?? true
        var splitInRow = 0.0
        if let raw = e["splitInRow"] {
            if let b = RMLValue.bool(raw) { splitInRow = b ? max(1, Double(raw.trimmingCharacters(in: .whitespaces)) ?? 1) : 0 }
            else if let v = RMLValue.length(raw) { splitInRow = v }
        }

        let model = try TableModel(firstRows: rows, source: source, ncols: ncols, colWidths: widths, rowHeights: heights,
                                   commands: commands, repeatRows: repeatRows, splitByRow: splitByRow, splitInRow: splitInRow,
                                   location: e.location)
        let table = Table(root: model)
        table.hAlignValue = align
        table.keepWithNextValue = keepWithNext
        table.spaceBeforeValue = try e.length("spaceBefore", diagnostics: ctx.diagnostics) ?? 0
        table.spaceAfterValue = try e.length("spaceAfter", diagnostics: ctx.diagnostics) ?? 0
        return (TableGuard(table), model)
    }

    /// A `colWidths` item.
    static func columnWidth(_ raw: String) -> ColumnWidth? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        let lower = s.lowercased()
        if lower.isEmpty || lower == "none" || lower == "auto" { return .auto }
        if s == "*" { return .star(1) }
        if s.hasSuffix("*"), let w = Double(s.dropLast().trimmingCharacters(in: .whitespaces)), w > 0 { return .star(w) }
        if s.hasSuffix("%"), let p = Double(s.dropLast().trimmingCharacters(in: .whitespaces)) { return .percent(p) }
        if let v = RMLValue.length(s) { return .absolute(v) }
        return nil
    }

    /// `<bulkData>`: one row per line, cells separated by commas, each stripped (z3c.rml).
    static func bulkRows(_ text: String) -> [[String]] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        return trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    /// A cell's content: its flowables when it has story elements, otherwise its text.
    func cellValue(_ td: RMLElement) throws(RMLError) -> TableCellValue {
        // Most cells are plain text.
        if td.children.isEmpty { return .empty }
        if td.children.count == 1, case .text(let t) = td.children[0], ctx.dialect != .openerp {
            return .text(Self.rawText(t))
        }
        let elements = td.elements
        if elements.contains(where: { Self.flowableNames.contains($0.name) }) {
            var items: [Flowable] = []
            var paragraphs: [(RMLElement, Paragraph)] = []
            for c in elements {
                guard Self.flowableNames.contains(c.name) else {
                    try ctx.diagnostics.warn("<\(c.name)> in a <td> that holds flowables is ignored", at: c.location)
                    continue
                }
                let made = try story.flowables(for: c)
                for f in made { Self.appendCellFlowable(f, to: &items) }
                for f in made { if let p = f as? Paragraph { paragraphs.append((c, p)) } }
            }
            return .flowables(TableFlowCell(items, paragraphs: paragraphs))
        }
        if ctx.dialect == .openerp {
            return .text(Self.dedentedText(td.text))
        }
        return .text(Self.rawContent(td))
    }

    /// Cell flowables: page and frame actions do nothing in a cell; groups that wait for the frame
    /// to place them (keepTogether) are laid out as their content.
    static func appendCellFlowable(_ f: Flowable, to items: inout [Flowable]) {
        switch f {
        case is ActionFlowable: return
        case let k as KeepTogether: for c in k.content { appendCellFlowable(c, to: &items) }
        case let g as TableGuard: items.append(g.table)
        default: items.append(f)
        }
    }

    /// The cell's raw XML content, as z3c.rml passes it to ReportLab: text keeps its line breaks and
    /// indentation, markup is shown as written, entities stay escaped.
    static func rawContent(_ e: RMLElement) -> String {
        var out = ""
        for c in e.children {
            switch c {
            case .text(let t): out += rawText(t)
            case .element(let x): out += serialize(x)
            }
        }
        return out
    }

    /// Text as lxml serialises it (`&`, `<`, `>` escaped).
    static func rawText(_ t: String) -> String {
        if !t.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 13 }) { return t }
        return escape(t.replacingOccurrences(of: "\r\n", with: "\n"), attribute: false)
    }

    private static func serialize(_ e: RMLElement) -> String {
        var s = "<" + e.name
        for a in e.attributes { s += " \(a.name)=\"\(escape(a.value, attribute: true))\"" }
        if e.children.isEmpty { return s + "/>" }
        return s + ">" + rawContent(e) + "</\(e.name)>"
    }

    private static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Text with blank first and last lines removed and the common indentation stripped.
    static func dedentedText(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "        ")
            .components(separatedBy: "\n")
        while let f = lines.first, f.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        while let l = lines.last, l.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return lines.map { line in
            String(line.dropFirst(min(indent, line.prefix(while: { $0 == " " }).count)))
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// A spanned block of cells, normalised (`c0 <= c1`, `r0 <= r1`).
struct SpanRect: Hashable {
    var c0: Int, r0: Int, c1: Int, r1: Int
}

/// Where a long table's rows come from when the document is streamed: one `<tr>` at a time.
protocol TableRowSource: AnyObject {
    /// The next row (row number `index`), or nil after the last one.
    func nextRow(index: Int) throws(RMLError) -> TableSourceRow?
}

/// A row as read: its cells, the style commands its `<td>` attributes make, and its place.
struct TableSourceRow {
    var cells: [TableCellValue]
    var commands: [TableStyleCommand]
    var location: SourceLocation
}

/// The data of one table and its measurements, shared by all the parts it is split into.
///
/// A table read from a parsed tree holds all its rows. A long table of a streamed document holds
/// its repeated header rows and a window of rows: rows are read from the source when the layout
/// first needs them, and released once the parts showing them are drawn, so memory does not grow
/// with the table. Until the last row has been read the row count is unknown; style ranges counted
/// from the end (`-1`) are then resolved against `openEnd`, and the rows they might touch are read
/// ahead first (`lookahead`), so every decision comes out as if the count were known. When the last
/// row is read, `rowCount` becomes exact and the parts correct their ranges (`Table.refresh`).
final class TableModel {
    let ncols: Int
    /// The stand-in row count while a streamed table's end has not been read.
    static let openEnd = 1 << 40
    /// Rows read so far.
    private(set) var loadedRows = 0
    /// Whether the last row has been read (always, for tables from a tree).
    private(set) var complete: Bool
    /// Incremented when `complete` becomes true, so parts know to correct their ranges.
    private(set) var completion = 0
    /// The row count, or `openEnd` while it is unknown.
    var nrows: Int { complete ? loadedRows : Self.openEnd }

    private let source: TableRowSource?
    /// Rows always kept (the repeated header); rows `pinned..<windowBase` have been released.
    private let pinned: Int
    private var windowBase: Int
    /// Per stored row (pinned rows first, then the window): cells, style indices, heights, places,
    /// and the line/background commands of its `<td>`s.
    private var values: [TableCellValue] = []
    private var styleIndex: [Int32] = []
    private var cellCommandsOfRow: [[(CellStyleOp, TableRange)]] = []
    private var otherCommandsOfRow: [[TableStyleCommand]] = []
    private var rowHeights: [Double] = []
    private var rowLocations: [SourceLocation] = []
    /// Rows whose cell styles are computed (`0..<styledRows`, less released ones).
    private var styledRows = 0
    /// How far past a row its style depends on (the largest row index counted from the end).
    private let lookahead: Int
    /// The table style's cell commands resolved against `nrows` (redone when the end is read),
    /// and per command, which style each style becomes.
    private var resolvedCellCommands: [(CellStyleOp, TableRange)] = []
    private var cellCommandMemo: [[Int32: Int32]] = []

    /// The distinct cell styles (cells refer to them by index).
    private(set) var styles: [CellStyle] = []
    private var styleLookup: [CellStyle: Int32] = [:]
    private var inlineStyles: [InlineStyle?] = []
    let argW: [ColumnWidth]
    private let givenHeights: [Double?]
    let repeatRows: Int
    let splitByRow: Bool
    /// ReportLab's `splitInRow`: 0 = rows are not split; otherwise the smallest part height.
    let splitInRow: Double
    let location: SourceLocation?

    /// The table style's commands as written (ranges unresolved), for resolving as rows arrive.
    private let cellCommands: [(CellStyleOp, TableRange)]
    private let rawLines: [TableLine]
    private let rawBackgrounds: [TableBackground]
    private let rawSpans: [TableRange]
    private let rawNosplits: [TableRange]
    private let rawSplitCells: [(CellStyleOp, TableRange)]
    /// Commands for the root part, negative indices resolved.
    private(set) var lines: [TableLine] = []
    private(set) var backgrounds: [TableBackground] = []
    private(set) var spanRanges: [TableRange] = []
    private(set) var nosplitRanges: [TableRange] = []
    /// Cell style commands on `splitfirst` / `splitlast`, applied to the parts of a split.
    private(set) var splitCellCommands: [(CellStyleOp, TableRange)] = []

    /// Spans for measuring: main cell → block; cells hidden under a span; cells in row or column spans.
    private(set) var spanMain: [Int: SpanRect] = [:]
    private(set) var spanHidden: Set<Int> = []
    private var rowSpanCells: Set<Int> = []
    private var colSpanCells: Set<Int> = []
    /// Row ranges joined by row spans (sorted, disjoint): their heights are computed together.
    private var rowSpanBlocks: [ClosedRange<Int>] = []

    // Layout at one width.
    /// Set once the table is split: its parts keep the column widths (ReportLab passes them on).
    var widthsFrozen = false
    private(set) var layoutWidth = Double.nan
    private(set) var colWidths: [Double] = []
    private(set) var colPositions: [Double] = []
    /// How many rows were measured (each row once per width).
    private(set) var measuredRows = 0

    /// A table whose first rows are given and whose other rows come from `source` (nil: no more).
    init(firstRows: [TableSourceRow], source: TableRowSource?, ncols: Int, colWidths: [ColumnWidth], rowHeights: [Double?],
         commands: [TableStyleCommand], repeatRows: Int, splitByRow: Bool, splitInRow: Double, location: SourceLocation?) throws(RMLError) {
        self.ncols = ncols
        self.source = source
        complete = source == nil
        pinned = repeatRows
        windowBase = repeatRows
        argW = colWidths
        givenHeights = rowHeights
        self.repeatRows = repeatRows
        self.splitByRow = splitByRow
        self.splitInRow = splitInRow
        self.location = location

        var cells: [(CellStyleOp, TableRange)] = [], lines: [TableLine] = [], backgrounds: [TableBackground] = []
        var spans: [TableRange] = [], nosplit: [TableRange] = [], splitCells: [(CellStyleOp, TableRange)] = []
        var ahead = 0
        func note(_ r: TableRange) { if r.special == nil { ahead = max(ahead, -min(r.sr, 0), -min(r.er, 0)) } }
        for c in commands {
            switch c {
            case .cell(let op, let range):
                if range.special != nil { splitCells.append((op, range)) } else { cells.append((op, range)); note(range) }
            case .background(let b): backgrounds.append(b); note(b.range)
            case .line(let l): lines.append(l); note(l.range)
            case .span(let r): if r.special == nil { spans.append(r); note(r) }
            case .nosplit(let r): if r.special == nil { nosplit.append(r); note(r) }
            }
        }
        cellCommands = cells
        rawSplitCells = splitCells
        rawLines = lines
        rawBackgrounds = backgrounds
        rawSpans = spans
        rawNosplits = nosplit
        lookahead = ahead
        _ = intern(CellStyle())
        for r in firstRows { store(r) }
        // Ranges joining rows from a place to the end need the end: read the whole table first.
        let openRange = (spans + nosplit).contains { ($0.sr < 0) != ($0.er < 0) }
        if openRange { try loadAll() } else { try load(through: repeatRows + lookahead) }
        resolveCommands()
    }

    /// Resolves the commands against the row count (or `openEnd`) and computes the spans.
    private func resolveCommands() {
        let n = nrows
        splitCellCommands = rawSplitCells.map { ($0.0, $0.1.resolved(cols: ncols, rows: n)) }
        resolvedCellCommands = cellCommands.map { ($0.0, $0.1.resolved(cols: ncols, rows: n)) }
        if cellCommandMemo.count != cellCommands.count { cellCommandMemo = Array(repeating: [:], count: cellCommands.count) }
        lines = rawLines.map { var l = $0; l.range = l.range.resolved(cols: ncols, rows: n); return l }
        backgrounds = rawBackgrounds.map { var b = $0; b.range = b.range.resolved(cols: ncols, rows: n); return b }
        spanRanges = rawSpans.map { $0.resolved(cols: ncols, rows: n) }
        nosplitRanges = rawNosplits.map { $0.resolved(cols: ncols, rows: n) }
        spanMain = [:]; spanHidden = []; rowSpanCells = []; colSpanCells = []; rowSpanBlocks = []
        computeSpans()
    }

    // MARK: Rows

    /// Index of a stored row, or nil when it was released or not read.
    private func slot(_ row: Int) -> Int? {
        if row < 0 || row >= loadedRows { return nil }
        if row < pinned { return row }
        if row < windowBase { return nil }
        return pinned + (row - windowBase)
    }

    private func store(_ r: TableSourceRow) {
        var cells = r.cells
        if cells.count > ncols { cells.removeLast(cells.count - ncols) }
        while cells.count < ncols { cells.append(.empty) }
        values += cells
        styleIndex += Array(repeating: 0, count: ncols)
        var cellOps: [(CellStyleOp, TableRange)] = [], others: [TableStyleCommand] = []
        for c in r.commands {
            if case .cell(let op, let range) = c { cellOps.append((op, range)) } else { others.append(c) }
        }
        cellCommandsOfRow.append(cellOps)
        otherCommandsOfRow.append(others)
        rowHeights.append(.nan)
        rowLocations.append(r.location)
        loadedRows += 1
    }

    /// Reads rows until row `row` is read or the table ends; styles every row whose style is now
    /// settled (its look-ahead read).
    private func load(through row: Int) throws(RMLError) {
        if let source {
            while !complete && loadedRows <= row {
                if let r = try source.nextRow(index: loadedRows) {
                    store(r)
                } else {
                    complete = true
                    completion += 1
                    resolveCommands()
                }
            }
        }
        styleSettledRows()
    }

    /// Reads the rest of the table.
    func loadAll() throws(RMLError) { try load(through: Int.max - 1) }

    /// Makes row `row` (and the rows its style depends on) available; false when it does not exist.
    @discardableResult
    func ensure(_ row: Int) throws(RMLError) -> Bool {
        if row < loadedRows - lookahead || complete {
            return row < loadedRows
        }
        try load(through: row + lookahead)
        return row < loadedRows
    }

    private func ensureQuietly(_ row: Int) {
        if row >= loadedRows - lookahead && !complete { _ = try? ensure(row) }
    }

    /// Releases stored rows before `row` (the header rows stay): the parts showing them are drawn.
    func release(before row: Int) {
        guard source != nil else { return }
        let upTo = min(row, loadedRows, styledRows)
        guard upTo > windowBase else { return }
        let count = upTo - windowBase
        let from = pinned
        values.removeSubrange((from * ncols)..<((from + count) * ncols))
        styleIndex.removeSubrange((from * ncols)..<((from + count) * ncols))
        cellCommandsOfRow.removeSubrange(from..<(from + count))
        otherCommandsOfRow.removeSubrange(from..<(from + count))
        rowHeights.removeSubrange(from..<(from + count))
        rowLocations.removeSubrange(from..<(from + count))
        windowBase = upTo
    }

    /// The line and background commands of `<td>`s in rows `from..<to` (those still stored).
    func tdCommands(from: Int, to: Int) -> [TableStyleCommand] {
        var out: [TableStyleCommand] = []
        var r = max(from, 0)
        while r < min(to, loadedRows) {
            if let s = slot(r) { out += otherCommandsOfRow[s] }
            r += 1
        }
        return out
    }

    func rowLocation(_ row: Int) -> SourceLocation? { slot(row).map { rowLocations[$0] } }

    /// The height written in `rowHeights` for a row, if any.
    func givenHeight(_ row: Int) -> Double? { row < givenHeights.count ? givenHeights[row] : nil }

    /// Computes the cell styles of the rows whose look-ahead has been read.
    private func styleSettledRows() {
        let settled = complete ? loadedRows : max(0, loadedRows - lookahead)
        guard styledRows < settled else { return }
        let n = nrows
        if resolvedCellCommands.count != cellCommands.count { resolveCommands() }
        let resolved = resolvedCellCommands
        // The same command turns the same style into the same new style: memoised per old index,
        // for the life of the table (updated in place).
        for row in styledRows..<settled {
            guard let s = slot(row) else { continue }
            let base = s * ncols
            for (k, (op, r)) in resolved.enumerated() {
                let sr = max(0, r.sr), er = min(n - 1, r.er)
                guard sr <= row, row <= er else { continue }
                let sc = max(0, r.sc), ec = min(ncols - 1, r.ec)
                guard sc <= ec else { continue }
                for col in sc...ec {
                    let old = styleIndex[base + col]
                    if let new = cellCommandMemo[k][old] { styleIndex[base + col] = new; continue }
                    var st = styles[Int(old)]
                    op.apply(to: &st)
                    let new = intern(st)
                    cellCommandMemo[k][old] = new
                    styleIndex[base + col] = new
                }
            }
            for (op, r) in cellCommandsOfRow[s] {
                let sc = max(0, r.sc), ec = min(ncols - 1, r.ec)
                guard sc <= ec else { continue }
                for col in sc...ec { styleIndex[base + col] = applying(op, to: styleIndex[base + col]) }
            }
        }
        styledRows = settled
    }

    // MARK: Styles

    func intern(_ s: CellStyle) -> Int32 {
        if let i = styleLookup[s] { return i }
        let i = Int32(styles.count)
        styles.append(s)
        styleLookup[s] = i
        inlineStyles.append(nil)
        return i
    }

    func style(_ index: Int32) -> CellStyle { styles[Int(index)] }

    /// A style changed by a command (interned).
    func applying(_ op: CellStyleOp, to index: Int32) -> Int32 {
        var s = styles[Int(index)]
        op.apply(to: &s)
        return intern(s)
    }

    /// The text style for a cell style (font resolved once).
    func inlineStyle(_ index: Int32, _ ctx: LayoutContext) -> InlineStyle {
        if let s = inlineStyles[Int(index)] { return s }
        let cs = styles[Int(index)]
        let s = InlineStyle(face: ctx.face(cs.fontName, at: location), size: cs.fontSize, color: cs.color)
        inlineStyles[Int(index)] = s
        return s
    }

    func value(_ row: Int, _ col: Int) -> TableCellValue {
        ensureQuietly(row)
        guard let s = slot(row) else { return .empty }
        return values[s * ncols + col]
    }

    func styleIndex(_ row: Int, _ col: Int) -> Int32 {
        ensureQuietly(row)
        guard let s = slot(row) else { return 0 }
        return styleIndex[s * ncols + col]
    }

    // MARK: Spans

    private func computeSpans() {
        var blocks: [ClosedRange<Int>] = []
        for r in spanRanges {
            var x0 = r.sc, x1 = r.ec, y0 = r.sr, y1 = r.er
            if x0 > x1 { swap(&x0, &x1) }
            if y0 > y1 { swap(&y0, &y1) }
            x0 = max(0, x0); y0 = max(0, y0); x1 = min(ncols - 1, x1); y1 = min(nrows - 1, y1)
            guard x0 <= x1, y0 <= y1, x0 != x1 || y0 != y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let k = y * ncols + x
                    if x0 != x1 { colSpanCells.insert(k) }
                    if y0 != y1 { rowSpanCells.insert(k) }
                    spanHidden.insert(k)
                    spanMain[k] = nil
                }
            }
            let main = y0 * ncols + x0
            spanHidden.remove(main)
            spanMain[main] = SpanRect(c0: x0, r0: y0, c1: x1, r1: y1)
            if y0 != y1 { blocks.append(y0...y1) }
        }
        blocks.sort { $0.lowerBound < $1.lowerBound }
        for b in blocks {
            if let last = rowSpanBlocks.last, b.lowerBound <= last.upperBound {
                rowSpanBlocks[rowSpanBlocks.count - 1] = last.lowerBound...max(last.upperBound, b.upperBound)
            } else {
                rowSpanBlocks.append(b)
            }
        }
    }

    private func rowSpanBlock(containing row: Int) -> ClosedRange<Int>? {
        var lo = 0, hi = rowSpanBlocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rowSpanBlocks[mid].upperBound < row { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowSpanBlocks.count && rowSpanBlocks[lo].contains(row) ? rowSpanBlocks[lo] : nil
    }

    // MARK: Widths

    /// Computes the column widths for an available width (once per width).
    func prepare(_ availWidth: Double, _ ctx: LayoutContext) throws(RMLError) {
        if availWidth == layoutWidth || (widthsFrozen && !colWidths.isEmpty) { return }
        layoutWidth = availWidth
        let w = try computeWidths(availWidth, ctx)
        if w != colWidths {
            colWidths = w
            var p = [0.0]
            p.reserveCapacity(ncols + 1)
            for x in w { p.append(p.last! + x) }
            colPositions = p
            for i in rowHeights.indices { rowHeights[i] = .nan }
        }
    }

    var width: Double { colPositions.last ?? 0 }

    private func computeWidths(_ availWidth: Double, _ ctx: LayoutContext) throws(RMLError) -> [Double] {
        if argW.contains(where: \.isAutoOrStar), try hasVariableWidthCells() {
            return try preliminaryWidths(availWidth, ctx)
        }
        var w = Self.calcPC(argW, availWidth)
        if w.contains(where: { $0 == nil }) {
            // Automatic widths come from every row: a streamed table is read whole first.
            try loadAll()
            try calcAutoWidths(&w, ctx)
        }
        return w.map { $0 ?? 0 }
    }

    /// ReportLab's `_calc_pc`: absolute widths as given; percentages share the width the absolute
    /// columns leave (scaled down when over 100 %); `*` columns share what remains, unless some
    /// columns are automatic, which makes them automatic too.
    static func calcPC(_ spec: [ColumnWidth], _ avail: Double) -> [Double?] {
        var out: [Double?] = []
        var s = avail, pct = 0.0, autoCount = 0, stars: [(Int, Double)] = [], pcts: [Int] = []
        for v in spec {
            switch v {
            case .auto: out.append(nil); autoCount += 1
            case .percent(let p): pcts.append(out.count); pct += p; out.append(p)
            case .star(let w): stars.append((out.count, w)); out.append(nil)
            case .absolute(let a): s -= a; out.append(a)
            }
        }
        s = max(0, s)
        let f = s / max(100, pct)
        for i in pcts {
            out[i] = out[i]! * f
            s -= out[i]!
        }
        s = max(0, s)
        if !stars.isEmpty {
            let total = stars.reduce(0) { $0 + $1.1 }
            for (i, w) in stars { out[i] = autoCount == 0 && s > 0 ? s * w / total : nil }
        }
        return out
    }

    private var variableWidthCache: Bool?
    /// Whether some cell holds flowables without a width of their own (ReportLab's `_hasVariWidthElements`).
    private func hasVariableWidthCells() throws(RMLError) -> Bool {
        if let v = variableWidthCache { return v }
        try loadAll()
        let v = values.contains { if case .flowables(let f) = $0 { return !f.fixedWidth } else { return false } }
        variableWidthCache = v
        return v
    }

    /// ReportLab's `_elementWidth`: the widest text line, or the flowables' width.
    func elementWidth(_ value: TableCellValue, _ style: Int32, _ ctx: LayoutContext) throws(RMLError) -> Double {
        switch value {
        case .text(let s):
            if s.isEmpty { return 0 }
            let istyle = inlineStyle(style, ctx)
            var w = 0.0
            for line in s.split(separator: "\n", omittingEmptySubsequences: true) {
                w = max(w, ctx.shaper.shapeLine(String(line), style: istyle).width)
            }
            return w
        case .flowables(let f):
            return try f.minWidth(ctx)
        }
    }

    /// ReportLab's `_calc_width` for the automatic columns: the widest cell plus its paddings;
    /// spanned cells widen the automatic columns they span.
    private func calcAutoWidths(_ w: inout [Double?], _ ctx: LayoutContext) throws(RMLError) {
        let w0 = w
        var spanCons: [SpanKey: Double] = [:]
        var out = w.map { $0 ?? 0 }
        for j in 0..<ncols where w[j] == nil {
            var m = 0.0
            for i in 0..<nrows {
                let k = i * ncols + j
                var t = 0.0
                if colSpanCells.contains(k) && spanMain[k] == nil {
                    t = 0
                } else {
                    let si = styleIndex(i, j)
                    let s = styles[Int(si)]
                    t = try elementWidth(value(i, j), si, ctx) + s.leftPadding + s.rightPadding
                    if let span = spanMain[k], span.c0 != span.c1 {
                        let key = SpanKey(a: span.c0, b: span.c1)
                        spanCons[key] = max(spanCons[key] ?? t, t)
                        t = 0
                    }
                }
                m = max(m, t)
            }
            out[j] = m
        }
        if !spanCons.isEmpty { Self.spanFixDim(w0.map { $0 == nil }, &out, spanCons, offset: 0) }
        w = out
    }

    /// ReportLab's `_calcPreliminaryWidths`, used when cells hold flowables that have no width of
    /// their own: automatic and `*` columns get at least their content's minimum and share the rest.
    private func preliminaryWidths(_ availWidth: Double, _ ctx: LayoutContext) throws(RMLError) -> [Double] {
        var w: [Double] = Array(repeating: 0, count: ncols)
        var totalDefined = 0.0, percentTotal = 0.0, numberUndefined = 0, numberGreedyUndefined = 0
        for (j, spec) in argW.enumerated() {
            switch spec {
            case .auto: numberUndefined += 1
            case .star: numberUndefined += 1; numberGreedyUndefined += 1
            case .percent(let p): percentTotal += p
            case .absolute(let a): totalDefined += a; w[j] = a
            }
        }
        var minimums: [(Int, Double)] = []
        var totalMinimum = 0.0
        for j in 0..<ncols {
            if case .absolute = argW[j] { continue }
            var final = 0.0
            for i in 0..<nrows {
                let si = styleIndex(i, j)
                let s = styles[Int(si)]
                final = max(final, try elementWidth(value(i, j), si, ctx) + s.leftPadding + s.rightPadding)
            }
            minimums.append((j, final))
            totalMinimum += final
        }
        var remaining = availWidth - (totalMinimum + totalDefined)
        if remaining > 0 {
            let definedPercentage = availWidth > 0 ? totalDefined / availWidth * 100 : 0
            percentTotal += definedPercentage
            var defaultDesired = 1.0
            if numberUndefined > 0 && percentTotal < 100 {
                let undefined = numberGreedyUndefined > 0 ? numberGreedyUndefined : numberUndefined
                let defaultWeight = (100 - percentTotal) / Double(undefined)
                percentTotal = 100
                defaultDesired = defaultWeight / percentTotal * availWidth
            }
            var desiredWidths: [(disappointment: Double, minimum: Double, desired: Double, col: Int)] = []
            var totalDesired = 0.0
            var effectiveRemaining = remaining
            for (j, minimum) in minimums {
                let desired: Double
                switch argW[j] {
                case .percent(let p): desired = p / percentTotal * availWidth
                case .star: desired = defaultDesired
                default: desired = numberGreedyUndefined == 0 ? defaultDesired : 1
                }
                if desired <= minimum {
                    w[j] = minimum
                } else {
                    desiredWidths.append((desired - minimum, minimum, desired, j))
                    totalDesired += desired
                    effectiveRemaining += minimum
                }
            }
            if !desiredWidths.isEmpty {
                var proportion = effectiveRemaining / totalDesired
                desiredWidths.sort { ($0.disappointment, $0.minimum, $0.desired, $0.col) < ($1.disappointment, $1.minimum, $1.desired, $1.col) }
                var finalSet: [(Double, Int)] = []
                for d in desiredWidths {
                    let adjusted = proportion * d.desired
                    if adjusted < d.minimum {
                        w[d.col] = d.minimum
                        totalDesired -= d.desired
                        effectiveRemaining -= d.minimum
                        if totalDesired != 0 { proportion = effectiveRemaining / totalDesired }
                    } else {
                        finalSet.append((d.desired, d.col))
                    }
                }
                for (desired, col) in finalSet { w[col] = proportion * desired }
            }
        } else {
            // The content is wider than the space: ReportLab may shrink the given widths a little
            // (rl_config.defCWRF), otherwise the minimums are scaled into what the given widths leave.
            var adj = 1.0
            if remaining < 0 && totalDefined > 0 && totalDefined * 0.1 + remaining >= 0 {
                let a = -remaining / totalDefined
                for j in 0..<ncols where !minimums.contains(where: { $0.0 == j }) {
                    let dw = a * w[j]
                    w[j] -= dw
                    totalDefined -= dw
                }
            } else {
                remaining = availWidth - totalDefined
                adj = remaining <= 0 || totalMinimum == 0 ? 1 : remaining / totalMinimum
            }
            for (j, m) in minimums { w[j] = m * adj }
        }
        return w
    }

    struct SpanKey: Hashable, Comparable {
        var a: Int, b: Int
        static func < (l: SpanKey, r: SpanKey) -> Bool { (l.a, l.b) < (r.a, r.b) }
    }

    /// ReportLab's `spanFixDim`: a span needing more than the sizes it covers gives the difference,
    /// in equal parts, to its variable (automatic) members. `variable` and `sizes` start at `offset`.
    static func spanFixDim(_ variable: [Bool], _ sizes: inout [Double], _ cons: [SpanKey: Double], offset: Int) {
        var extra: [Int: Double] = [:]
        let ordered = cons.sorted { ($0.value, $0.key) > ($1.value, $1.key) }
        for (key, value) in ordered {
            let lo = key.a - offset, hi = key.b - offset
            guard lo >= 0, hi < sizes.count, lo <= hi else { continue }
            var t = 0.0
            for x in lo...hi { t += sizes[x] + (extra[x] ?? 0) }
            if t >= value - 1e-6 { continue }
            let vars = (lo...hi).filter { variable[$0] }
            if vars.isEmpty { continue }
            let each = (value - t) / Double(vars.count)
            for x in vars { extra[x, default: 0] += each }
        }
        for (x, v) in extra { sizes[x] += v }
    }

    /// The minimum width of the table (ReportLab's `Table.minWidth`), for a column sized to it.
    func minWidth(_ ctx: LayoutContext) throws(RMLError) -> Double {
        try loadAll()
        var total = 0.0
        for j in 0..<ncols {
            if case .absolute(let a) = argW[j] { total += a; continue }
            var m = 0.0
            for i in 0..<nrows {
                let si = styleIndex(i, j)
                let s = styles[Int(si)]
                m = max(m, try elementWidth(value(i, j), si, ctx) + s.leftPadding + s.rightPadding)
            }
            total += m
        }
        return total
    }

    // MARK: Heights

    /// The height of a row at the prepared width, measured on first use.
    func rowHeight(_ row: Int, _ ctx: LayoutContext) throws(RMLError) -> Double {
        guard try ensure(row), let slot = slot(row) else { return 0 }
        let h = rowHeights[slot]
        if !h.isNaN { return h }
        if let block = rowSpanBlock(containing: row) {
            try ensure(block.upperBound)
            var cons: [SpanKey: Double] = [:]
            var sizes: [Double] = []
            for r in block { sizes.append(try measureRow(r, &cons, ctx)) }
            Self.spanFixDim(block.map { givenHeight($0) == nil }, &sizes, cons, offset: block.lowerBound)
            for (i, r) in block.enumerated() { if let s = self.slot(r) { rowHeights[s] = sizes[i] } }
        } else {
            var cons: [SpanKey: Double] = [:]
            rowHeights[slot] = try measureRow(row, &cons, ctx)
        }
        return rowHeights[slot]
    }

    /// ReportLab's `_calc_height` for one row: the tallest cell (text: lines × leading; flowables:
    /// their stacked height) plus its paddings. Cells of row spans count towards the span instead.
    private func measureRow(_ i: Int, _ spanCons: inout [SpanKey: Double], _ ctx: LayoutContext) throws(RMLError) -> Double {
        measuredRows += 1
        if let h = givenHeight(i) { return h }
        guard let slot = slot(i) else { return 0 }
        var h = 0.0
        for j in 0..<ncols {
            let k = i * ncols + j
            let span = spanMain[k]
            if rowSpanCells.contains(k) && span == nil { continue }
            let s = styles[Int(styleIndex[slot * ncols + j])]
            var t: Double
            switch values[slot * ncols + j] {
            case .flowables(let f):
                var w = colWidths[j]
                if colSpanCells.contains(k) {
                    guard let span else { continue }
                    w = max(colPositions[span.c1 + 1] - colPositions[span.c0], w)
                }
                t = try Self.cellGeometry(f.items, width: w, style: s, availHeight: 72000, ctx).height
            case .text(let text):
                t = s.leading * Double(Self.lineCount(text))
            }
            t += s.bottomPadding + s.topPadding
            if let span, span.r0 != span.r1 {
                let key = SpanKey(a: span.r0, b: span.r1)
                spanCons[key] = max(spanCons[key] ?? t, t)
                t = 0
            }
            h = max(h, t)
        }
        return h
    }

    static func lineCount(_ s: String) -> Int {
        var n = 1
        for b in s.utf8 where b == 10 { n += 1 }
        return n
    }

    /// ReportLab's `_listCellGeom`: wraps the flowables at the cell's inner width; the height adds
    /// every space before and after except the first flowable's space before and the last's after.
    static func cellGeometry(_ items: [Flowable], width: Double, style s: CellStyle, availHeight: Double,
                             _ ctx: LayoutContext) throws(RMLError) -> (width: Double, height: Double, sizes: [Size]) {
        if items.isEmpty { return (0, 0, []) }
        let aW = width - s.leftPadding - s.rightPadding
        let aH = availHeight - s.topPadding - s.bottomPadding
        var t = 0.0, w = 0.0
        var sizes: [Size] = []
        sizes.reserveCapacity(items.count)
        for f in items {
            let size = try f.wrap(aW, aH, ctx)
            sizes.append(size)
            w = max(w, size.width)
            t += size.height + f.spaceBefore + f.spaceAfter
        }
        return (w, t - items[0].spaceBefore - items[items.count - 1].spaceAfter, sizes)
    }
}
