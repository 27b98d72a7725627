import FolioRML

/// One half of a row that was split inside (ReportLab's `splitInRow`): its own cells and height.
final class SyntheticRow {
    let values: [TableCellValue]
    let styles: [Int32]
    let height: Double
    /// The model row it comes from (for messages).
    let modelRow: Int

    init(values: [TableCellValue], styles: [Int32], height: Double, modelRow: Int) {
        self.values = values; self.styles = styles; self.height = height; self.modelRow = modelRow
    }
}

/// Which rows of the model a table part shows: the repeated header rows (model rows 0..<header),
/// then an optional lower half of a split row, a range of model rows, and an optional upper half.
struct TableRowMap {
    var header: Int
    var first: SyntheticRow?
    var body: Range<Int>
    var last: SyntheticRow?

    var count: Int { header + (first == nil ? 0 : 1) + body.count + (last == nil ? 0 : 1) }

    enum Source {
        case model(Int)
        case synthetic(SyntheticRow)
    }

    func source(_ i: Int) -> Source {
        if i < header { return .model(i) }
        var k = i - header
        if let first {
            if k == 0 { return .synthetic(first) }
            k -= 1
        }
        if k < body.count { return .model(body.lowerBound + k) }
        return .synthetic(last!)
    }

    /// The model row a local row shows (or comes from).
    func modelRow(_ i: Int) -> Int {
        switch source(i) {
        case .model(let r): r
        case .synthetic(let s): s.modelRow
        }
    }

    /// Local rows `0..<n`.
    func prefix(_ n: Int) -> TableRowMap {
        var r = TableRowMap(header: min(header, n), first: nil, body: body.lowerBound..<body.lowerBound, last: nil)
        var k = n - header
        if k <= 0 { return r }
        if let first {
            r.first = first
            k -= 1
        }
        let take = min(max(k, 0), body.count)
        r.body = body.lowerBound..<(body.lowerBound + take)
        k -= take
        if k > 0, let last { r.last = last }
        return r
    }

    /// Model rows `0..<newHeader` followed by local rows `n...` (`n >= header`).
    func dropping(_ n: Int, header newHeader: Int) -> TableRowMap {
        var skip = n - header
        var newFirst: SyntheticRow?
        if let first {
            if skip > 0 { skip -= 1 } else { newFirst = first }
        }
        let bodySkip = min(max(skip, 0), body.count)
        skip -= bodySkip
        return TableRowMap(header: newHeader, first: newFirst, body: (body.lowerBound + bodySkip)..<body.upperBound,
                           last: skip > 0 ? nil : last)
    }
}

/// Commands with a cell range that ReportLab rewrites when a table splits.
protocol TableRangedCommand {
    var range: TableRange { get set }
    var isLineAbove: Bool { get }
    var isLineBelow: Bool { get }
}

extension TableRange: TableRangedCommand {
    var range: TableRange {
        get { self }
        set { self = newValue }
    }
    var isLineAbove: Bool { false }
    var isLineBelow: Bool { false }
}

extension TableBackground: TableRangedCommand {
    var isLineAbove: Bool { false }
    var isLineBelow: Bool { false }
}

extension TableLine: TableRangedCommand {
    var isLineAbove: Bool { op == .lineAbove }
    var isLineBelow: Bool { op == .lineBelow }
}

/// A table, or a part of one after splits: a view of rows of its `TableModel` with the style
/// commands of that part in its own row numbers (ReportLab's `Table` after `_splitRows`).
final class Table: Flowable {
    let model: TableModel
    var rows: TableRowMap
    var lines: [TableLine]
    var backgrounds: [TableBackground]
    var spans: [TableRange]
    var nosplits: [TableRange]
    var hAlignValue = HorizontalAlignment.center
    var keepWithNextValue = false
    var spaceBeforeValue = 0.0
    var spaceAfterValue = 0.0
    /// A part holding a row taller than any frame: it is placed overflowing, never split again.
    var overflowing = false
    /// Styles of local rows changed by `splitfirst` / `splitlast` commands (a style per column).
    var styleOverrides: [Int: [Int32]] = [:]
    /// The height the last `wrap` reported.
    private(set) var wrappedHeight = 0.0
    private var impossibleCache: [Bool: Set<Int>] = [:]
    /// Rows of a streamed model whose `<td>` commands this part has taken in.
    private var tdCommandsTaken = 0
    /// The model's `completion` this part's ranges are resolved for.
    private var completionSeen = 0

    var location: SourceLocation? { model.location }
    var spaceBefore: Double { spaceBeforeValue }
    var spaceAfter: Double { spaceAfterValue }
    var keepWithNext: Bool { keepWithNextValue }
    var hAlign: HorizontalAlignment { hAlignValue }

    init(root model: TableModel) {
        self.model = model
        rows = TableRowMap(header: 0, first: nil, body: 0..<model.nrows, last: nil)
        lines = model.lines
        backgrounds = model.backgrounds
        spans = model.spanRanges
        nosplits = model.nosplitRanges
        completionSeen = model.completion
        refresh()
    }

    private init(partOf t: Table, rows: TableRowMap, lines: [TableLine], backgrounds: [TableBackground],
                 spans: [TableRange], nosplits: [TableRange]) {
        model = t.model
        self.rows = rows
        self.lines = lines
        self.backgrounds = backgrounds
        self.spans = spans
        self.nosplits = nosplits
        hAlignValue = t.hAlignValue
        tdCommandsTaken = t.tdCommandsTaken
        completionSeen = t.completionSeen
    }

    /// Brings a part of a streamed table up to date with the rows read since it was made: takes in
    /// the line and background commands of their `<td>`s, and once the last row has been read,
    /// turns ranges counted from the unknown end (resolved against `TableModel.openEnd`) into
    /// true row numbers.
    func refresh() {
        if tdCommandsTaken < model.loadedRows {
            let offset = rows.header + (rows.first == nil ? 0 : 1) - rows.body.lowerBound
            for c in model.tdCommands(from: max(tdCommandsTaken, rows.body.lowerBound), to: min(model.loadedRows, rows.body.upperBound)) {
                switch c {
                case .background(var b):
                    b.range = b.range.rows(b.range.sr + offset, b.range.er + offset)
                    backgrounds.append(b)
                case .line(var l):
                    l.range = l.range.rows(l.range.sr + offset, l.range.er + offset)
                    lines.append(l)
                default:
                    break
                }
            }
            tdCommandsTaken = model.loadedRows
        }
        if completionSeen != model.completion {
            completionSeen = model.completion
            let shift = TableModel.openEnd - model.nrows
            func fix(_ r: inout TableRange) {
                if r.special != nil { return }
                if r.sr >= TableModel.openEnd / 2 { r.sr -= shift }
                if r.er >= TableModel.openEnd / 2 { r.er -= shift }
            }
            for i in lines.indices { fix(&lines[i].range) }
            for i in backgrounds.indices { fix(&backgrounds[i].range) }
            for i in spans.indices { fix(&spans[i]) }
            for i in nosplits.indices { fix(&nosplits[i]) }
            if rows.body.upperBound >= TableModel.openEnd / 2 {
                rows.body = rows.body.lowerBound..<max(rows.body.lowerBound, model.nrows)
            }
            impossibleCache = [:]
        }
    }

    /// Whether local row `i` exists, reading a streamed table's rows as far as needed.
    func hasRow(_ i: Int) throws(RMLError) -> Bool {
        if i >= rows.count { return false }
        if case .model(let r) = rows.source(i) {
            let exists = try model.ensure(r)
            refresh()
            return exists && i < rows.count
        }
        return true
    }

    var rowCount: Int { rows.count }

    func rowHeight(_ i: Int, _ ctx: LayoutContext) throws(RMLError) -> Double {
        switch rows.source(i) {
        case .model(let r): try model.rowHeight(r, ctx)
        case .synthetic(let s): s.height
        }
    }

    /// The cells of a local row: values and style indices.
    func rowCells(_ i: Int) -> (values: [TableCellValue], styles: [Int32]) {
        switch rows.source(i) {
        case .model(let r):
            let nc = model.ncols
            var v: [TableCellValue] = [], s: [Int32] = []
            v.reserveCapacity(nc); s.reserveCapacity(nc)
            for j in 0..<nc { v.append(model.value(r, j)); s.append(model.styleIndex(r, j)) }
            return (v, styleOverrides[i] ?? s)
        case .synthetic(let row):
            return (row.values, styleOverrides[i] ?? row.styles)
        }
    }

    func cell(_ i: Int, _ j: Int) -> (value: TableCellValue, style: Int32) {
        let o = styleOverrides.isEmpty ? nil : styleOverrides[i]
        switch rows.source(i) {
        case .model(let r): return (model.value(r, j), o?[j] ?? model.styleIndex(r, j))
        case .synthetic(let row): return (row.values[j], o?[j] ?? row.styles[j])
        }
    }

    /// Applies the `splitlast` (first part) or `splitfirst` (second part) cell commands to a row.
    private func applySplitCellCommands(_ special: SplitRow, row: Int) {
        guard row >= 0, row < rows.count else { return }
        var styles: [Int32]?
        for (op, r) in model.splitCellCommands where r.special == special {
            if styles == nil { styles = rowCells(row).styles }
            let sc = max(0, r.sc), ec = min(model.ncols - 1, r.ec)
            guard sc <= ec else { continue }
            for j in sc...ec { styles![j] = model.applying(op, to: styles![j]) }
        }
        if let styles { styleOverrides[row] = styles }
    }

    // MARK: Flowable

    func wrap(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        try model.prepare(availableWidth, ctx)
        refresh()
        var total = 0.0
        var i = 0
        while try hasRow(i) {
            total += try rowHeight(i, ctx)
            // Like ReportLab's long-table optimisation: once it cannot fit, stop measuring; the frame
            // will split it and only the rows of each page get measured.
            if total > availableHeight + 1e-6, !overflowing, try hasRow(i + 1) { break }
            i += 1
        }
        wrappedHeight = total
        return Size(width: model.width, height: total)
    }

    func split(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        if overflowing { return [] }
        try model.prepare(availableWidth, ctx)
        refresh()
        var parts: [Flowable] = []
        if model.splitByRow || model.splitInRow > 0 {
            parts = try splitRows(availableHeight, inRow: !model.splitByRow, minHeight: model.splitInRow, ctx)
            if parts.isEmpty && model.splitInRow > 0 {
                parts = try splitRows(availableHeight, inRow: model.splitByRow, minHeight: model.splitInRow, ctx)
            }
        }
        return parts
    }

    // MARK: Split positions

    /// Rows before which the table may not split (inside row spans and `blockNosplit` ranges).
    private func impossibleRows(ignoreSpans: Bool) -> Set<Int> {
        if let s = impossibleCache[ignoreSpans] { return s }
        var out = Set<Int>()
        func add(_ ranges: [TableRange]) {
            for r in ranges where r.special == nil {
                let y0 = min(r.sr, r.er), y1 = max(r.sr, r.er)
                if y0 != y1 { for y in (y0 + 1)...y1 { out.insert(y) } }
            }
        }
        if !ignoreSpans { add(spans) }
        add(nosplits)
        impossibleCache[ignoreSpans] = out
        return out
    }

    /// ReportLab's `_getFirstPossibleSplitRowPosition`: the most rows that fit the height and may
    /// be split after.
    func firstPossibleSplit(_ availHeight: Double, ignoreSpans: Bool, _ ctx: LayoutContext) throws(RMLError) -> Int {
        let impossible = impossibleRows(ignoreSpans: ignoreSpans)
        var h = 0.0, n = 1, splitAt = 0
        var i = 0
        while try hasRow(i) {
            let rh = try rowHeight(i, ctx)
            if h + rh > availHeight + 1e-6 { break }
            if !impossible.contains(n) { splitAt = n }
            h += rh
            n += 1
            i += 1
        }
        return splitAt
    }

    /// The rows that must go together at the top of a frame: the header and the rows up to the
    /// first place after it where the table may split.
    private func leadRows() throws(RMLError) -> Int {
        _ = try hasRow(model.repeatRows)
        let impossible = impossibleRows(ignoreSpans: false)
        var n = min(model.repeatRows, rows.count) + 1
        while try hasRow(n), impossible.contains(n) { n += 1 }
        return min(n, rows.count)
    }

    func leadHeight(_ ctx: LayoutContext) throws(RMLError) -> Double {
        refresh()
        var h = 0.0
        for i in 0..<(try leadRows()) { h += try rowHeight(i, ctx) }
        return h
    }

    // MARK: Splitting

    /// ReportLab's `_splitRows`: between rows, or inside the first row that does not fit.
    func splitRows(_ availHeight: Double, inRow: Bool, minHeight: Double, requireProgress: Bool = false,
                   _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        let n = try firstPossibleSplit(availHeight, ignoreSpans: inRow, ctx)
        let k = model.repeatRows
        if inRow ? n < k : n <= k { return [] }
        if !(try hasRow(n)) { return [] }
        if inRow {
            guard let halves = try splitRowContent(n, availHeight, minHeight: minHeight, requireProgress: requireProgress, ctx) else {
                return []
            }
            return makeParts(at: n + 1, inRow: halves)
        }
        return makeParts(at: n, inRow: nil)
    }

    /// The table cannot start in an empty frame because a row is taller than the frame: the row's
    /// content is split where the frame ends if it can be, otherwise the row is placed overflowing
    /// (with a warning) and the rest of the table continues in the next frame.
    func splitOversize(_ availHeight: Double, frameHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        refresh()
        let parts = try splitRows(availHeight, inRow: true, minHeight: 0, requireProgress: true, ctx)
        if !parts.isEmpty { return parts }
        let n = try leadRows()
        var h = 0.0
        for i in 0..<n { h += try rowHeight(i, ctx) }
        let row = rows.modelRow(min(n, rows.count) - 1)
        let loc = model.rowLocation(row) ?? location
        try ctx.diagnostics.warn("a table row is \(Int(h.rounded())) pt high (with the repeated rows), more than the frame's \(Int(frameHeight.rounded())) pt; it overflows the frame", at: loc)
        if !(try hasRow(n)) {
            overflowing = true
            return [self]
        }
        let split = makeParts(at: n, inRow: nil)
        (split[0] as? Table)?.overflowing = true
        return split
    }

    /// Builds the two parts of a split before local row `n` (after splitting row `n - 1` in two when
    /// `inRow` is given), rewriting the style commands as ReportLab does.
    private func makeParts(at n: Int, inRow halves: (top: SyntheticRow, bottom: SyntheticRow)?) -> [Flowable] {
        refresh()
        var lines = self.lines, backgrounds = self.backgrounds, spans = self.spans, nosplits = self.nosplits
        let k = model.repeatRows
        var r0rows: TableRowMap, r1rows: TableRowMap
        if let halves {
            let m = n - 1
            lines = Self.stretch(m, lines)
            backgrounds = Self.stretch(m, backgrounds)
            spans = Self.stretch(m, spans)
            nosplits = Self.stretch(m, nosplits)
            r0rows = rows.prefix(m)
            r0rows.last = halves.top
            r1rows = rows.dropping(m + 1, header: k)
            r1rows.first = halves.bottom
        } else {
            r0rows = rows.prefix(n)
            r1rows = rows.dropping(n, header: k)
        }
        let doInRow = halves != nil
        model.widthsFrozen = true
        let a = Self.splitLineCommands(lines, n, inRow: doInRow)
        let r0 = Table(partOf: self, rows: r0rows, lines: Self.cr0(n, a, srfl: false),
                       backgrounds: Self.cr0(n, backgrounds, srfl: true),
                       spans: Self.cr0(n, spans, srfl: false), nosplits: Self.cr0(n, nosplits, srfl: false))
        let r1: Table
        if k > 0 {
            r1 = Table(partOf: self, rows: r1rows, lines: Self.cr11(n, k, a, srfl: false),
                       backgrounds: Self.cr11(n, k, backgrounds, srfl: true),
                       spans: Self.cr11(n, k, spans, srfl: false), nosplits: Self.cr11(n, k, nosplits, srfl: false))
        } else {
            r1 = Table(partOf: self, rows: r1rows, lines: Self.cr10(n, a, srfl: false),
                       backgrounds: Self.cr10(n, backgrounds, srfl: true),
                       spans: Self.cr10(n, spans, srfl: false), nosplits: Self.cr10(n, nosplits, srfl: false))
        }
        // Rows whose styles were changed at earlier splits keep them.
        let splitRow = halves != nil ? n - 1 : -1
        for (i, o) in styleOverrides {
            if i < n && i != splitRow { r0.styleOverrides[i] = o }
            if i < k { r1.styleOverrides[i] = o } else if i >= n { r1.styleOverrides[i - n + k + (halves != nil ? 1 : 0)] = o }
        }
        if !model.splitCellCommands.isEmpty {
            r0.applySplitCellCommands(.last, row: n - 1)
            r1.applySplitCellCommands(.first, row: k)
        }
        r0.spaceBeforeValue = spaceBeforeValue
        r1.spaceAfterValue = spaceAfterValue
        // The rows before this part were shown by earlier parts, which are drawn by now.
        model.release(before: rows.body.lowerBound)
        return [r0, TableGuard(r1)]
    }

    // MARK: Command rewriting (ReportLab's _splitLineCmds, _cr_0, _cr_1_1, _cr_1_0, _stretchCommands)

    /// Line commands crossing the split become separate lines, so that the first part gets its
    /// bottom line and the second its top line.
    static func splitLineCommands(_ lines: [TableLine], _ n: Int, inRow: Bool) -> [TableLine] {
        var a: [TableLine] = []
        for var c in lines {
            var r = c.range
            if let special = r.special {
                a.append(c)
                switch special {
                case .last: r.sr = n - 1; r.er = n - 1
                case .first: r.sr = n; r.er = n
                }
                r.special = nil
                c.range = r
            }
            let sc = r.sc, ec = r.ec, sr = r.sr, er = r.er
            func rng(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> TableRange { TableRange(sc: a, sr: b, ec: c, er: d) }
            switch c.op {
            case .box, .outline, .grid:
                if (sr < n && er >= n) || (inRow && sr == n) {
                    a.append(c.with(.lineAbove, rng(sc, sr, ec, sr)))
                    a.append(c.with(.lineBefore, rng(sc, sr, sc, er)))
                    a.append(c.with(.lineAfter, rng(ec, sr, ec, er)))
                    a.append(c.with(.lineBelow, rng(sc, er, ec, er)))
                    if c.op == .grid {
                        if inRow {
                            a.append(c.with(.innerGrid, rng(sc, sr, ec, n - 1)))
                            a.append(c.with(.innerGrid, rng(sc, n, ec, er)))
                        } else {
                            a.append(c.with(.lineBelow, rng(sc, n - 1, ec, n - 1)))
                            a.append(c.with(.lineAbove, rng(sc, n, ec, n)))
                            a.append(c.with(.innerGrid, rng(sc, sr, ec, er)))
                        }
                    }
                } else {
                    a.append(c)
                }
            case .innerGrid:
                if sr < n && er >= n && !inRow {
                    a.append(c.with(.lineBelow, rng(sc, n - 1, ec, n - 1)))
                    a.append(c.with(.lineAbove, rng(sc, n, ec, n)))
                }
                a.append(c)
            case .lineBelow:
                if sr < n && er >= n - 1 { a.append(c.with(.lineAbove, rng(sc, n, ec, n))) }
                a.append(c)
            case .lineAbove:
                if sr <= n && er >= n { a.append(c.with(.lineBelow, rng(sc, n - 1, ec, n - 1))) }
                a.append(c)
            default:
                a.append(c)
            }
        }
        return a
    }

    /// Commands of the first part: those starting before the split, cut at it.
    static func cr0<C: TableRangedCommand>(_ n: Int, _ cmds: [C], srfl: Bool) -> [C] {
        var out: [C] = []
        for var c in cmds {
            var r = c.range
            if let special = r.special {
                if !srfl { continue }
                out.append(c)
                if special == .first { continue }
                r.sr = n - 1; r.er = n - 1; r.special = nil
            }
            if r.sr >= n { continue }
            if r.er >= n { r.er = n - 1 }
            c.range = r
            out.append(c)
        }
        return out
    }

    /// Commands of the second part when `k` header rows repeat: a command over header rows is kept
    /// for them, and the part after the split is moved up behind the header.
    static func cr11<C: TableRangedCommand>(_ n: Int, _ k: Int, _ cmds: [C], srfl: Bool) -> [C] {
        var out: [C] = []
        for var c in cmds {
            var r = c.range
            if let special = r.special {
                if !srfl { continue }
                out.append(c)
                if special == .last { continue }
                r.sr = n; r.er = n; r.special = nil
            }
            let sr = r.sr, er = r.er
            let lo = max(sr, 0), hi = min(er, k - 1)
            if lo <= hi {
                c.range = r.rows(lo, hi)
                out.append(c)
            }
            if er < n { continue }
            c.range = r.rows(max(sr - n, 0) + k, max(er - n, 0) + k)
            out.append(c)
        }
        return out
    }

    /// Commands of the second part without repeated rows.
    static func cr10<C: TableRangedCommand>(_ n: Int, _ cmds: [C], srfl: Bool) -> [C] {
        var out: [C] = []
        for var c in cmds {
            var r = c.range
            if let special = r.special {
                if !srfl { continue }
                out.append(c)
                if special == .last { continue }
                r.sr = n; r.er = n; r.special = nil
            }
            if r.er >= 0 && r.er < n { continue }
            if r.sr >= 0 && r.sr < n { r.sr = 0 }
            if r.sr >= n { r.sr -= n }
            if r.er >= n { r.er -= n }
            c.range = r.rows(r.sr, r.er)
            out.append(c)
        }
        return out
    }

    /// Row `n` became two rows: commands after it move down one, commands over it cover both halves.
    static func stretch<C: TableRangedCommand>(_ n: Int, _ cmds: [C]) -> [C] {
        cmds.map { c in
            var c = c
            var r = c.range
            if r.special != nil { return c }
            if r.er > n {
                r.er += 1
            } else if r.er == n && (r.sr < n || (r.sr == n && !c.isLineAbove)) {
                r.er += 1
            }
            if r.sr > n || (r.sr == n && c.isLineBelow) { r.sr += 1 }
            c.range = r
            return c
        }
    }

    // MARK: Splitting inside a row

    /// The width a cell is laid out at: its column, or the columns of the span it starts.
    func cellWidth(_ row: Int, _ col: Int, spanInfo: TableSpanLayout?) -> Double {
        if let s = spanInfo?.mainRange[row * model.ncols + col] {
            return model.colPositions[min(s.c1 + 1, model.ncols)] - model.colPositions[s.c0]
        }
        return model.colWidths[col]
    }

    /// ReportLab's in-row split of local row `n` at the height left above it: each cell's content is
    /// divided between an upper and a lower half. Nil when the row cannot be split there.
    /// With `requireProgress` (a row taller than any frame), the upper half must take some content
    /// and the row must not have a fixed height, so that splitting again and again ends.
    private func splitRowContent(_ n: Int, _ availHeight: Double, minHeight: Double, requireProgress: Bool,
                                 _ ctx: LayoutContext) throws(RMLError) -> (top: SyntheticRow, bottom: SyntheticRow)? {
        if requireProgress, case .model(let r) = rows.source(n), model.givenHeight(r) != nil { return nil }
        // A row inside a row span stays whole (ReportLab's splitting of spanned cells is not followed).
        for r in spans where r.special == nil {
            let y0 = min(r.sr, r.er), y1 = max(r.sr, r.er)
            if y0 != y1 && y0 <= n && n <= y1 { return nil }
        }
        let spanInfo = TableSpanLayout(spans, rows: rows.count, cols: model.ncols)
        var used = 0.0
        for i in 0..<n { used += try rowHeight(i, ctx) }
        let (values, styles) = rowCells(n)
        let cur = try rowHeight(n, ctx)
        var minSplit = 0.0, maxSplit = 0.0, maxHeight = 0.0
        for j in 0..<model.ncols {
            if spanInfo.hidden.contains(n * model.ncols + j) { continue }
            let s = model.style(styles[j])
            let w = cellWidth(n, j, spanInfo: spanInfo)
            switch values[j] {
            case .flowables(let f):
                let h = try TableModel.cellGeometry(f.items, width: w, style: s, availHeight: 72000, ctx).height
                maxHeight = max(maxHeight, h + s.topPadding + s.bottomPadding)
            case .text(let t):
                let lineHeight = 1.2 * s.fontSize
                minSplit = max(minSplit, lineHeight + s.topPadding)
                maxSplit = max(maxSplit, lineHeight + s.bottomPadding)
                maxHeight = max(maxHeight, lineHeight * Double(TableModel.lineCount(t)) + s.topPadding + s.bottomPadding)
            }
        }
        if minSplit + maxSplit > cur || minSplit > availHeight - used { return nil }
        let splitPoint = min(availHeight - used, maxHeight - maxSplit)
        if splitPoint + 1 < minHeight || splitPoint <= 0 { return nil }

        var v0: [TableCellValue] = [], v1: [TableCellValue] = [], s0: [Int32] = [], s1: [Int32] = []
        var h0max = 0.0, h1max = 0.0
        for j in 0..<model.ncols {
            if spanInfo.hidden.contains(n * model.ncols + j) {
                v0.append(.empty); v1.append(.empty); s0.append(styles[j]); s1.append(styles[j])
                continue
            }
            var style = model.style(styles[j])
            let w = cellWidth(n, j, spanInfo: spanInfo)
            guard let (a, b) = try Self.splitCell(values[j], style, oldHeight: cur, newHeight: splitPoint, width: w, ctx) else {
                return nil
            }
            var newStyle = style
            if style.valign == .middle {
                if !a.isEmpty && !b.isEmpty {
                    style.valign = .bottom
                    newStyle.valign = .top
                } else if !a.isEmpty || !b.isEmpty {
                    let h = try Self.contentHeight(a.isEmpty ? b : a, width: w, style: style, ctx)
                    let margin = (cur - h) / 2
                    if !a.isEmpty { style.topPadding += margin } else { newStyle.bottomPadding += margin }
                }
            }
            v0.append(a); v1.append(b)
            h0max = max(h0max, try Self.contentHeight(a, width: w, style: style, ctx) + style.topPadding + style.bottomPadding)
            h1max = max(h1max, try Self.contentHeight(b, width: w, style: style, ctx) + style.topPadding + style.bottomPadding)
            s0.append(model.intern(style))
            s1.append(model.intern(newStyle))
        }
        if requireProgress && !v0.contains(where: { !$0.isEmpty }) { return nil }
        let usedHeight = min(splitPoint, h0max)
        let newHeight = max(h1max, cur - usedHeight)
        let modelRow = rows.modelRow(n)
        return (SyntheticRow(values: v0, styles: s0, height: usedHeight, modelRow: modelRow),
                SyntheticRow(values: v1, styles: s1, height: newHeight, modelRow: modelRow))
    }

    /// ReportLab's `_listCellGeom` height of a value as `_splitRows` uses it (text: 1.2 × font size a line).
    private static func contentHeight(_ v: TableCellValue, width: Double, style: CellStyle, _ ctx: LayoutContext) throws(RMLError) -> Double {
        switch v {
        case .text(let t): t.isEmpty ? 0 : Double(TableModel.lineCount(t)) * style.fontSize * 1.2
        case .flowables(let f): try TableModel.cellGeometry(f.items, width: width, style: style, availHeight: 72000, ctx).height
        }
    }

    /// ReportLab's `_splitCell`: divides a cell's content at `newHeight` of a row `oldHeight` high.
    private static func splitCell(_ value: TableCellValue, _ s: CellStyle, oldHeight: Double, newHeight: Double, width: Double,
                                  _ ctx: LayoutContext) throws(RMLError) -> (TableCellValue, TableCellValue)? {
        let height0 = newHeight - s.topPadding
        let height1 = oldHeight - (s.topPadding + newHeight)
        switch value {
        case .flowables(let f):
            let geo = try TableModel.cellGeometry(f.items, width: width, style: s, availHeight: 72000, ctx)
            var used = s.valign == .middle ? (oldHeight - geo.height) / 2 : 0
            var first: [Flowable] = [], rest: [Flowable] = []
            var attempted = false
            let inner = width - s.leftPadding - s.rightPadding
            for (i, fl) in f.items.enumerated() {
                let fh = geo.sizes[i].height
                if attempted {
                    rest.append(fl)
                } else if used + fh + fl.spaceBefore <= height0 + 1e-6 {
                    first.append(fl)
                    used += fh + fl.spaceBefore + fl.spaceAfter
                } else {
                    let splitHeight = height0 - used - fl.spaceBefore
                    let parts = splitHeight > 0 ? try fl.split(inner, splitHeight, ctx) : []
                    if parts.count >= 2 {
                        first.append(parts[0])
                        rest += parts.dropFirst()
                    } else {
                        if first.isEmpty && s.valign == .top { return nil }
                        rest.append(fl)
                    }
                    attempted = true
                }
            }
            return (.flowables(TableFlowCell(first)), .flowables(TableFlowCell(rest)))
        case .text(let t):
            let lines = t.split(separator: "\n", omittingEmptySubsequences: false)
            let lineHeight = 1.2 * s.fontSize
            let contentHeight = (s.leading > 0 ? s.leading : lineHeight) * Double(lines.count)
            if s.valign == .top && contentHeight <= height0 { return (value, .empty) }
            if s.valign == .bottom && contentHeight <= height1 { return (.empty, value) }
            if s.valign == .middle { return height1 > height0 ? (.empty, value) : (value, .empty) }
            if lines.count < 2 { return nil }
            var splitPoint = s.valign == .top ? Int((height0 / lineHeight).rounded(.down))
                                              : lines.count - Int((height1 / lineHeight).rounded(.down))
            splitPoint = min(max(splitPoint, 0), lines.count)
            return (.text(lines[..<splitPoint].joined(separator: "\n")), .text(lines[splitPoint...].joined(separator: "\n")))
        }
    }
}

/// How a table reaches the frame: a group that checks, before the table is placed, whether its
/// first rows can fit any frame at all. When they cannot, the rows are split inside or placed
/// overflowing, so that a huge row neither stalls the layout nor drags the rest of the table with it.
final class TableGuard: FlowGroup {
    let table: Table

    init(_ table: Table) { self.table = table }

    var location: SourceLocation? { table.location }
    var spaceBefore: Double { table.spaceBefore }
    var spaceAfter: Double { table.spaceAfter }
    var keepWithNext: Bool { table.keepWithNext }
    var hAlign: HorizontalAlignment { table.hAlign }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size { try table.wrap(w, h, ctx) }
    func split(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] { try table.split(w, h, ctx) }
    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try table.draw(on: canvas, x: x, y: y, ctx)
    }

    func resolve(availableWidth: Double, availableHeight: Double, frameHeight: Double, atTop: Bool,
                 _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        if table.overflowing { return [table] }
        try table.model.prepare(availableWidth, ctx)
        if try table.leadHeight(ctx) <= frameHeight + 1e-6 { return [table] }
        if !atTop && availableHeight < frameHeight - 1e-6 {
            return [ActionFlowable(.nextFrame(nil), location: table.location), self]
        }
        return try table.splitOversize(availableHeight, frameHeight: frameHeight, ctx)
    }
}
