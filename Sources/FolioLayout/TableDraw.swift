import FolioRML

/// The spans of one table part: which cell starts each spanned block, which cells it covers, and
/// (once positions are known) where lines must not cross the blocks.
struct TableSpanLayout {
    /// Main cell (row × ncols + col) → its block.
    var mainRange: [Int: SpanRect] = [:]
    /// Cells covered by a block other than its main cell.
    var hidden: Set<Int> = []

    init(_ spans: [TableRange], rows: Int, cols: Int) {
        for r in spans where r.special == nil {
            var x0 = r.sc, x1 = r.ec, y0 = r.sr, y1 = r.er
            if x0 > x1 { swap(&x0, &x1) }
            if y0 > y1 { swap(&y0, &y1) }
            x0 = max(0, x0); y0 = max(0, y0); x1 = min(cols - 1, x1); y1 = min(rows - 1, y1)
            guard x0 <= x1, y0 <= y1, x0 != x1 || y0 != y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let k = y * cols + x
                    hidden.insert(k)
                    mainRange[k] = nil
                }
            }
            hidden.remove(y0 * cols + x0)
            mainRange[y0 * cols + x0] = SpanRect(c0: x0, r0: y0, c1: x1, r1: y1)
        }
    }

    var isEmpty: Bool { mainRange.isEmpty }
}

extension Table {
    /// Draws the table with its bottom-left corner at (x, y): backgrounds, then cells, then lines
    /// (ReportLab's `Table.draw`).
    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        refresh()
        var n = 0
        while try hasRow(n) { n += 1 }
        let nc = model.ncols
        var heights: [Double] = []
        heights.reserveCapacity(n)
        for i in 0..<n { heights.append(try rowHeight(i, ctx)) }
        let total = heights.reduce(0, +)
        // Row i spans rp[i + 1]...rp[i] (rp[0] is the top edge); positions from the top, as placed.
        let top = y + (wrappedHeight > 0 ? wrappedHeight : total)
        var rp = [top]
        rp.reserveCapacity(n + 1)
        for h in heights { rp.append(rp[rp.count - 1] - h) }
        let cp = model.colPositions.map { $0 + x }
        let spanLayout = TableSpanLayout(spans, rows: n, cols: nc)
        var hBlocks: [Int: [(Double, Double)]] = [:]
        var vBlocks: [Int: [(Double, Double)]] = [:]
        for (_, s) in spanLayout.mainRange {
            if s.c1 > s.c0 { for c in (s.c0 + 1)...s.c1 { vBlocks[c, default: []].append((rp[s.r1 + 1], rp[s.r0])) } }
            if s.r1 > s.r0 { for r in (s.r0 + 1)...s.r1 { hBlocks[r, default: []].append((cp[s.c0], cp[s.c1 + 1])) } }
        }
        for k in hBlocks.keys { hBlocks[k]!.sort { $0 < $1 } }
        for k in vBlocks.keys { vBlocks[k]!.sort { $0 < $1 } }

        canvas.save()
        if !ctx.countingPass { drawBackgrounds(canvas, cp: cp, rp: rp, heights: heights, spans: spanLayout) }
        for i in 0..<n {
            for j in 0..<nc {
                var cx = cp[j], cw = cp[j + 1] - cp[j], cy = rp[i + 1], ch = heights[i]
                if !spanLayout.isEmpty {
                    let k = i * nc + j
                    if spanLayout.hidden.contains(k) { continue }
                    if let s = spanLayout.mainRange[k] {
                        cx = cp[s.c0]; cw = cp[s.c1 + 1] - cx
                        cy = rp[s.r1 + 1]; ch = rp[s.r0] - cy
                    }
                }
                let (value, style) = cell(i, j)
                try drawCell(value, style, x: cx, y: cy, width: cw, height: ch, canvas, ctx)
            }
        }
        if !ctx.countingPass { drawLines(canvas, cp: cp, rp: rp, hBlocks: hBlocks, vBlocks: vBlocks) }
        canvas.restore()
    }

    // MARK: Backgrounds

    private func drawBackgrounds(_ canvas: PageCanvas, cp: [Double], rp: [Double], heights: [Double], spans: TableSpanLayout) {
        let nrows = rows.count, ncols = model.ncols
        func fill(_ c: Color?, _ r: Rect) {
            guard let c, c.alpha > 0 else { return }
            canvas.setFill(c)
            canvas.rect(r, fill: true, stroke: false)
        }
        for b in backgrounds where b.range.special == nil {
            let r = b.range
            let sc = min(max(r.sc, 0), ncols), ec = min(max(r.ec, -1), ncols - 1)
            let sr = min(max(r.sr, 0), nrows), er = min(max(r.er, -1), nrows - 1)
            let x0 = cp[sc], y0 = rp[sr]
            let x1 = cp[min(ec + 1, ncols)], y1 = rp[min(er + 1, nrows)]
            let w = x1 - x0, h = y1 - y0
            switch b.kind {
            case .rows(let colors):
                guard !colors.isEmpty, er >= sr else { continue }
                var y = y0
                for i in 0...(er - sr) {
                    let rh = heights[sr + i]
                    fill(colors[i % colors.count], Rect(x: x0, y: y, width: w, height: -rh))
                    y -= rh
                }
            case .cols(let colors):
                guard !colors.isEmpty, ec >= sc else { continue }
                var x = x0
                for i in 0...(ec - sc) {
                    let cw = cp[sc + i + 1] - cp[sc + i]
                    fill(colors[i % colors.count], Rect(x: x, y: y0, width: cw, height: h))
                    x += cw
                }
            case .color(let c):
                var rect = Rect(x: x0, y: y0, width: w, height: h)
                if sc == ec && sr == er, let s = spans.mainRange[sr * ncols + sc] {
                    rect = Rect(x: cp[s.c0], y: rp[s.r1 + 1], width: cp[s.c1 + 1] - cp[s.c0], height: rp[s.r0] - rp[s.r1 + 1])
                }
                fill(c, rect)
            }
        }
    }

    // MARK: Cells

    private func drawCell(_ value: TableCellValue, _ styleIndex: Int32, x colpos: Double, y rowpos: Double,
                          width colwidth: Double, height rowheight: Double, _ canvas: PageCanvas, _ ctx: LayoutContext) throws(RMLError) {
        let s = model.style(styleIndex)
        switch value {
        case .flowables(let f):
            let items = f.items
            if !items.isEmpty {
                let geo = try TableModel.cellGeometry(items, width: colwidth, style: s, availHeight: rowheight, ctx)
                var y: Double
                switch s.valign {
                case .top: y = rowpos + rowheight - s.topPadding
                case .bottom: y = rowpos + s.bottomPadding + geo.height
                case .middle: y = rowpos + (rowheight + s.bottomPadding - s.topPadding + geo.height) / 2
                }
                y += items[0].spaceBefore
                for (i, item) in items.enumerated() {
                    let size = geo.sizes[i]
                    let x: Double
                    switch s.alignment {
                    case .left: x = colpos + s.leftPadding
                    case .right, .decimal: x = colpos + colwidth - s.rightPadding - size.width
                    case .center: x = colpos + (colwidth + s.leftPadding - s.rightPadding - size.width) / 2
                    }
                    y -= item.spaceBefore
                    y -= size.height
                    try item.draw(on: canvas, x: x, y: y, ctx)
                    y -= item.spaceAfter
                    // Long tables keep their rows, not the glyphs of rows already drawn.
                    (item as? Paragraph)?.releaseShaping()
                }
            }
        case .text(let text):
            // The counting pass only needs where rows break, not the glyphs of text cells.
            if !text.isEmpty && !ctx.countingPass {
                if !text.utf8.contains(0x0A) {
                    // One line (the usual cell): no splitting.
                    var y: Double
                    switch s.valign {
                    case .bottom: y = rowpos + s.bottomPadding + s.leading - s.fontSize
                    case .top: y = rowpos + rowheight - s.topPadding - s.fontSize
                    case .middle: y = rowpos + (s.bottomPadding + rowheight - s.topPadding + s.leading) / 2 - s.fontSize
                    }
                    if Self.hasInk(text) {
                        drawTextLine(text, model.inlineStyle(styleIndex, ctx), s, colpos: colpos, colwidth: colwidth, y: y, canvas, ctx)
                    }
                    break
                }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let n = Double(lines.count)
                var y: Double
                switch s.valign {
                case .bottom: y = rowpos + s.bottomPadding + n * s.leading - s.fontSize
                case .top: y = rowpos + rowheight - s.topPadding - s.fontSize
                case .middle: y = rowpos + (s.bottomPadding + rowheight - s.topPadding + n * s.leading) / 2 - s.fontSize
                }
                let istyle = model.inlineStyle(styleIndex, ctx)
                for line in lines {
                    if Self.hasInk(line) {
                        drawTextLine(String(line), istyle, s, colpos: colpos, colwidth: colwidth, y: y, canvas, ctx)
                    }
                    y -= s.leading
                }
            }
        }
        let cell = Rect(x: colpos, y: rowpos, width: colwidth, height: rowheight)
        if let href = s.href { canvas.append(.link(cell, .uri(href))) }
        if let dest = s.destination { canvas.append(.link(cell, .destination(dest))) }
    }

    /// Whether a line of text has a character that is not whitespace.
    static func hasInk<S: StringProtocol>(_ line: S) -> Bool {
        var ascii = true
        for b in line.utf8 {
            if b >= 0x80 { ascii = false } else if !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { return true }
        }
        return ascii ? false : line.contains(where: { !$0.isWhitespace })
    }

    /// One line of cell text, placed as ReportLab's drawString / drawCentredString /
    /// drawRightString / drawAlignedString would.
    private func drawTextLine(_ text: String, _ istyle: InlineStyle, _ s: CellStyle, colpos: Double, colwidth: Double,
                              y: Double, _ canvas: PageCanvas, _ ctx: LayoutContext) {
        let shaped = ctx.shaper.shapeLine(text, style: istyle)
        ctx.flushMissingGlyphs(at: location)
        let x: Double
        switch s.alignment {
        case .left: x = colpos + s.leftPadding
        case .center: x = (colpos + (colwidth + s.leftPadding - s.rightPadding) * 0.5) - shaped.width * 0.5
        case .right: x = colpos + colwidth - s.rightPadding - shaped.width
        case .decimal:
            // The pivot '.' is centred on the right padding edge; without one, a number's last digit
            // ends just before it.
            let pivot = colpos + colwidth - s.rightPadding
            let pivotWidth = ctx.shaper.shapeLine(".", style: istyle).width
            var left = text
            if let dot = text.firstIndex(of: ".") {
                left = String(text[..<dot])
            } else if text.contains(where: \.isNumber), let lastChar = text.last, !lastChar.isNumber {
                while let c = left.last, !c.isNumber { left.removeLast() }
            }
            let leftWidth = left == text ? shaped.width : ctx.shaper.shapeLine(left, style: istyle).width
            x = pivot - 0.5 * pivotWidth - leftWidth
        }
        canvas.draw(shaped, x: x, y: y)
    }

    // MARK: Lines

    private func drawLines(_ canvas: PageCanvas, cp: [Double], rp: [Double],
                           hBlocks: [Int: [(Double, Double)]], vBlocks: [Int: [(Double, Double)]]) {
        guard !lines.isEmpty else { return }
        let nrows = rows.count, ncols = model.ncols
        var ccap: Int?, cdash: [Double]?, cjoin: Int?
        var curColor: Color?, curWeight: Double?
        canvas.save()

        /// Python-like slice bounds of an index range over `count + 1` positions.
        func slice(_ lo: Int, _ hi: Int, _ count: Int) -> Range<Int> {
            let l = min(max(lo, 0), count), h = min(max(hi, 0), count)
            return l..<max(l, h)
        }
        func prep(_ l: TableLine) {
            let color = l.color ?? .black
            if color != curColor {
                canvas.setStroke(color)
                curColor = color
            }
            if l.weight != 0 && l.weight != curWeight {
                canvas.setLineWidth(l.weight)
                curWeight = l.weight
            }
        }
        /// ReportLab's `_hLine`: a line from a to b at p, broken where spanned blocks are.
        func segment(_ a: Double, _ b: Double, _ p: Double, _ blocks: [(Double, Double)]?, vertical: Bool, _ l: TableLine) {
            func emit(_ s: Double, _ e: Double) {
                if l.count == 1 {
                    if vertical { canvas.line(p, s, p, e) } else { canvas.line(s, p, e, p) }
                } else {
                    let ws = l.weight + l.space
                    var q = p + 0.5 * Double(l.count - 1) * ws
                    for _ in 0..<l.count {
                        if vertical { canvas.line(q, s, q, e) } else { canvas.line(s, q, e, q) }
                        q -= ws
                    }
                }
            }
            let fuzz = 1e-6
            guard let blocks, !blocks.isEmpty, a < blocks[blocks.count - 1].1 - fuzz, b > blocks[0].0 + fuzz else {
                emit(a, b)
                return
            }
            var s = a
            var i = 0
            while s < b - fuzz && i < blocks.count {
                let (x0, x1) = blocks[i]
                if x1 <= s + fuzz || x0 >= b - fuzz { i += 1; continue }
                let i0 = max(s, x0), i1 = min(b, x1)
                if i0 > s { emit(s, i0) }
                s = i1
            }
            if s < b - fuzz { emit(s, b) }
        }
        /// Horizontal lines at the tops of rows sr...er, across columns sc...ec.
        func hLines(_ sc: Int, _ sr: Int, _ ec: Int, _ er: Int, _ l: TableLine) {
            let cols = slice(sc, ec + 2, ncols + 1)
            let rowsRange = slice(sr, er + 1, nrows + 1)
            guard cols.count > 1, !rowsRange.isEmpty else { return }
            prep(l)
            let a = cp[cols.lowerBound], b = cp[cols.upperBound - 1]
            for r in rowsRange { segment(a, b, rp[r], hBlocks[r], vertical: false, l) }
        }
        /// Vertical lines at the left edges of columns sc...ec, down rows sr...er.
        func vLines(_ sc: Int, _ sr: Int, _ ec: Int, _ er: Int, _ l: TableLine) {
            let rowsRange = slice(sr, er + 2, nrows + 1)
            let cols = slice(sc, ec + 1, ncols + 1)
            guard rowsRange.count > 1, !cols.isEmpty else { return }
            prep(l)
            let topY = rp[rowsRange.lowerBound], bottomY = rp[rowsRange.upperBound - 1]
            for c in cols { segment(bottomY, topY, cp[c], vBlocks[c], vertical: true, l) }
        }
        func box(_ sc: Int, _ sr: Int, _ ec: Int, _ er: Int, _ l: TableLine) {
            hLines(sc, sr, ec, sr, l)
            hLines(sc, er + 1, ec, er + 1, l)
            vLines(sc, sr, sc, er, l)
            vLines(ec + 1, sr, ec + 1, er, l)
        }
        func innerGrid(_ sc: Int, _ sr: Int, _ ec: Int, _ er: Int, _ l: TableLine) {
            hLines(sc, sr + 1, ec, er, l)
            vLines(sc + 1, sr, ec, er, l)
        }

        for l in lines where l.range.special == nil {
            if let cap = l.cap, cap != ccap {
                canvas.append(.lineCap(cap))
                ccap = cap
            }
            if let dash = l.dash, !dash.isEmpty {
                if dash != cdash {
                    canvas.append(.dash(dash, 0))
                    cdash = dash
                }
            } else if cdash != nil {
                canvas.append(.dash([], 0))
                cdash = nil
            }
            if let join = l.join, join != cjoin {
                canvas.append(.lineJoin(join))
                cjoin = join
            }
            // ReportLab's normCellRange: the range clamped to the table.
            let sc = max(0, l.range.sc), ec = min(ncols - 1, l.range.ec)
            let sr = max(0, l.range.sr), er = min(nrows - 1, l.range.er)
            switch l.op {
            case .grid:
                box(sc, sr, ec, er, l)
                innerGrid(sc, sr, ec, er, l)
            case .box, .outline: box(sc, sr, ec, er, l)
            case .innerGrid: innerGrid(sc, sr, ec, er, l)
            case .lineBelow: hLines(sc, sr + 1, ec, er + 1, l)
            case .lineAbove: hLines(sc, sr, ec, er, l)
            case .lineBefore: vLines(sc, sr, ec, er, l)
            case .lineAfter: vLines(sc + 1, sr, ec + 1, er, l)
            }
        }
        canvas.restore()
    }
}
