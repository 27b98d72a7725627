import Foundation

/// Draws the charts of custom reports (`pie`, `bar`, `line`) as RML vector graphics.
///
/// The data comes from the caller, already grouped and bucketed: `labels[i]` is the category of
/// row `i` (the first column's value) and `series[j][i]` the value of column `j + 1` in that row,
/// so there is one series per value column. A column with `cumulate: true` is accumulated along
/// the rows here. Output is deterministic (same input, same text) and vector only:
///
/// - **pie** (exactly two columns, one series, no negative values): one closed `<path>` per
///   slice with a positive value (Bézier arcs), drawn clockwise from twelve o'clock; percentages
///   inside slices of at least 4 %; a legend of `<rect>` swatches with label, value and percent.
///   Slice colours: the value column's `color` as a list (`"#4e79a7, #f28e2b"`), then the palette.
/// - **bar** (two or more columns): grouped bars, one `<rect … stroke="0">` per category and
///   series (zero-height for a zero value); a value axis with "nice" ticks (1, 2, 2.5, 5 × 10ⁿ)
///   and grid lines, the zero line, category labels (rotated 45° when they do not fit), values
///   above bars when there is room, and a legend (`<rect … stroke="1">` swatches).
/// - **line** (two or more columns): the same axes; per series a `<path>` polyline and one
///   `<circle>` marker per point; the legend shows a line with a marker (one more `<circle>`).
///
/// Colours of bar and line series come from each column's `color`, else the default palette.
public enum ChartRenderer {
    /// The default series and slice colours (Tableau 10).
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    // MARK: entry points

    /// The chart as the content of an `<illustration width=… height=…>` (canvas operations).
    public static func rml(for definition: CustomReportDefinition, labels: [String], series: [[Double]],
                           width: Double, height: Double) throws(ReportError) -> String {
        let data = try prepare(definition, labels: labels, series: series)
        guard width >= 60, height >= 60, width.isFinite, height.isFinite else {
            throw ReportError(.definition, "chart '\(definition.name)': the drawing area \(ChartFormat.coordinate(width))×\(ChartFormat.coordinate(height)) pt is too small")
        }
        var c = ChartCanvas()
        switch definition.type {
        case .pie: drawPie(data, into: &c, width: width, height: height)
        case .bar, .line: drawAxesChart(data, line: definition.type == .line, into: &c, width: width, height: height)
        case .table: break
        }
        return c.rml
    }

    /// The chart wrapped as a flowable: `<illustration width height>…</illustration>`.
    public static func illustration(for definition: CustomReportDefinition, labels: [String], series: [[Double]],
                                    width: Double, height: Double) throws(ReportError) -> String {
        let body = try rml(for: definition, labels: labels, series: series, width: width, height: height)
        return "<illustration width=\"\(ChartFormat.coordinate(width))\" height=\"\(ChartFormat.coordinate(height))\">\n\(body)\n</illustration>"
    }

    /// A complete RML document for a chart report: the page format and orientation of the
    /// definition (A4 or A5, portrait unless landscape), the title (default: the definition's),
    /// the chart filling the page width, and a footer line (default: the definition's footer)
    /// with `date` and "Page X of Y".
    public static func document(for definition: CustomReportDefinition, labels: [String], series: [[Double]],
                                title: String? = nil, footer: String? = nil, date: String? = nil) throws(ReportError) -> String {
        let (pw, ph) = pageSize(definition)
        let margin = 42.52, footerBand = 28.0, titleBand = 40.0
        let frameW = pw - 2 * margin
        let frameH = ph - 2 * margin - footerBand
        let chartW = frameW
        let chartH = min(frameH - titleBand, frameW * 0.8)
        let chart = try illustration(for: definition, labels: labels, series: series, width: chartW, height: chartH)
        let f = ChartFormat.coordinate
        let theTitle = title ?? definition.title
        let footerText = [footer ?? definition.footer, date].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " · ")
        var footerOps = """
              <stroke color="#808080"/>
              <lineMode width="0.6"/>
              <lines>\(f(margin)) \(f(margin + 14)) \(f(pw - margin)) \(f(margin + 14))</lines>
              <fill color="#404040"/>
              <setFont name="Helvetica" size="8"/>
              <drawRightString x="\(f(pw - margin))" y="\(f(margin))">Page <pageNumber/> of <pageCount/></drawRightString>
        """
        if !footerText.isEmpty {
            footerOps += "\n      <drawString x=\"\(f(margin))\" y=\"\(f(margin))\">\(RMLText.escape(footerText))</drawString>"
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <document filename="chart.pdf" title="\(RMLText.attribute(theTitle))" author="Folio">
          <template pagesize="(\(f(pw)),\(f(ph)))" title="\(RMLText.attribute(theTitle))" author="Folio">
            <pageTemplate id="chart">
              <pageGraphics>
        \(footerOps)
              </pageGraphics>
              <frame id="main" x1="\(f(margin))" y1="\(f(margin + footerBand))" width="\(f(frameW))" height="\(f(frameH))"/>
            </pageTemplate>
          </template>
          <stylesheet>
            <paraStyle name="title" fontName="Helvetica-Bold" fontSize="16" leading="20" alignment="center" spaceAfter="14"/>
          </stylesheet>
          <story>
            <para style="title">\(RMLText.escape(theTitle))</para>
        \(chart)
          </story>
        </document>

        """
    }

    /// Page size in points for a definition's format and orientation (A5 = 148 × 210 mm).
    public static func pageSize(_ d: CustomReportDefinition) -> (width: Double, height: Double) {
        let (short, long): (Double, Double) = d.format == .a5 ? (419.53, 595.28) : (595.28, 841.89)
        return d.orientation == .landscape ? (long, short) : (short, long)
    }

    // MARK: data

    struct Series {
        var title: String
        var color: String
        var values: [Double]
    }

    struct Prepared {
        var name: String
        var labels: [String]
        var series: [Series]
        /// Pie slice colours.
        var sliceColors: [String]
    }

    static func colorList(_ s: String?) -> [String] {
        guard let s else { return [] }
        return s.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init).filter { !$0.isEmpty }
    }

    static func prepare(_ d: CustomReportDefinition, labels: [String], series: [[Double]]) throws(ReportError) -> Prepared {
        func fail(_ m: String) -> ReportError { ReportError(.definition, "chart '\(d.name)': \(m)") }
        switch d.type {
        case .table:
            throw fail("a table report is not a chart; render it through the custom table stylesheet")
        case .pie:
            guard d.columns.count == 2 else { throw fail("a pie chart needs exactly two columns (label, value); it has \(d.columns.count)") }
        case .bar, .line:
            guard d.columns.count >= 2 else { throw fail("a \(d.type.rawValue) chart needs at least two columns (category, values…); it has \(d.columns.count)") }
        }
        guard series.count == d.columns.count - 1 else {
            throw fail("\(d.columns.count - 1) value column(s) but \(series.count) series")
        }
        for (j, s) in series.enumerated() {
            guard s.count == labels.count else {
                throw fail("series '\(d.columns[j + 1].title)' has \(s.count) values for \(labels.count) labels")
            }
            if let i = s.firstIndex(where: { !$0.isFinite }) {
                throw fail("series '\(d.columns[j + 1].title)', row \(i + 1) ('\(labels[i])'): the value is not a finite number")
            }
        }
        var out: [Series] = []
        for (j, raw) in series.enumerated() {
            let col = d.columns[j + 1]
            var values = raw
            if col.cumulate == true {
                var sum = 0.0
                values = raw.map { sum += $0; return sum }
            }
            let color = colorList(col.color).first ?? palette[j % palette.count]
            out.append(Series(title: col.title, color: color, values: values))
        }
        if d.type == .pie, let i = out[0].values.firstIndex(where: { $0 < 0 }) {
            throw fail("row \(i + 1) ('\(labels[i])'): a pie chart cannot show a negative value (\(ChartFormat.value(out[0].values[i])))")
        }
        var slices = d.type == .pie ? colorList(d.columns[1].color) : []
        while slices.count < labels.count { slices.append(palette[(slices.count) % palette.count]) }
        return Prepared(name: d.name, labels: labels, series: out, sliceColors: slices)
    }

    // MARK: pie

    static func drawPie(_ p: Prepared, into c: inout ChartCanvas, width: Double, height: Double) {
        let values = p.series[0].values
        let total = values.reduce(0, +)
        let pad = 8.0
        guard total > 0 else {
            noData(into: &c, width: width, height: height)
            return
        }
        // Legend on the right.
        let fontSize = 9.0
        let n = values.count
        let entryH = min(15, (height - 2 * pad) / Double(max(n, 1)))
        let legendFont = min(fontSize, max(4, entryH * 0.7))
        let texts = (0..<n).map { i in "\(p.labels[i])  \(ChartFormat.value(values[i]))  (\(ChartFormat.percent(values[i] / total)))" }
        let widest = texts.map { TextMetrics.width($0, size: legendFont) }.max() ?? 0
        let legendW = min(width * 0.45, widest + legendFont + 12)
        let r = max(10, min((width - legendW - 3 * pad) / 2, (height - 2 * pad) / 2))
        let cx = pad + r, cy = height / 2

        c.stroke("#ffffff")
        c.lineWidth(0.8)
        var angle = 90.0
        var mids: [(Int, Double, Double)] = []
        for i in 0..<n where values[i] > 0 {
            let sweep = values[i] / total * 360
            c.fill(p.sliceColors[i])
            c.wedge(cx: cx, cy: cy, r: r, from: angle, to: angle - sweep, fill: true, stroke: n > 1)
            mids.append((i, angle - sweep / 2, values[i] / total))
            angle -= sweep
        }
        // Percentages inside the slices big enough to hold them.
        let labelSize = max(6, min(9, r / 8))
        c.font("Helvetica-Bold", labelSize)
        for (i, mid, fraction) in mids where fraction >= 0.04 {
            let a = mid * .pi / 180
            let rr = fraction > 0.99 ? 0 : r * 0.64
            c.fill(isLight(p.sliceColors[i]) ? "#222222" : "#ffffff")
            c.text(ChartFormat.percent(fraction), x: cx + rr * cos(a), y: cy + rr * sin(a) - labelSize * 0.35, anchor: .centre)
        }
        // Legend.
        let lx = width - legendW
        let totalH = entryH * Double(n)
        var y = cy + totalH / 2 - entryH
        c.font("Helvetica", legendFont)
        let sw = min(8, entryH * 0.7)
        for i in 0..<n {
            c.fill(p.sliceColors[i]); c.stroke(p.sliceColors[i]); c.lineWidth(0.5)
            c.rect(lx, y + (entryH - sw) / 2, sw, sw, fill: true, stroke: true)
            c.fill("#222222")
            let t = TextMetrics.truncate(texts[i], to: legendW - sw - 6, size: legendFont)
            c.text(t, x: lx + sw + 5, y: y + (entryH - legendFont) / 2 + legendFont * 0.22)
            y -= entryH
        }
    }

    // MARK: bar and line

    static func drawAxesChart(_ p: Prepared, line: Bool, into c: inout ChartCanvas, width: Double, height: Double) {
        let n = p.labels.count
        let pad = 6.0
        guard n > 0 else {
            noData(into: &c, width: width, height: height)
            return
        }
        // Legend rows at the top.
        let legendSize = 8.5
        var legendRows: [[(Int, Double)]] = [[]]
        var rowW = 0.0
        let avail = width - 2 * pad
        for (j, s) in p.series.enumerated() {
            let w = (line ? 22.0 : 12.0) + TextMetrics.width(s.title, size: legendSize) + 14
            if rowW + w > avail && !legendRows[legendRows.count - 1].isEmpty {
                legendRows.append([]); rowW = 0
            }
            legendRows[legendRows.count - 1].append((j, w))
            rowW += w
        }
        let legendH = Double(legendRows.count) * 13 + 6

        // Values and ticks.
        let all = p.series.flatMap(\.values)
        let lo = min(0, all.min() ?? 0), hi = max(0, all.max() ?? 0)
        let approxPlotH = height - legendH - 30 - 2 * pad
        let maxTicks = max(3, min(9, Int(approxPlotH / 30) + 1))
        let scale = NiceScale(min: lo, max: hi, maxTicks: maxTicks)
        let tickSize = 7.5
        let tickTexts = scale.ticks.map { scale.label($0) }
        let tickW = (tickTexts.map { TextMetrics.width($0, size: tickSize) }.max() ?? 0) + 6

        // Category labels: horizontal when they fit their band, else at 45°.
        let catSize = 8.0
        let x0 = pad + tickW, x1 = width - pad
        let band = (x1 - x0) / Double(n)
        let widest = p.labels.map { TextMetrics.width($0, size: catSize) }.max() ?? 0
        let rotate = widest > band - 4
        let maxLabelW = rotate ? min(widest, height * 0.25 / 0.7071) : band - 2
        let catH = rotate ? maxLabelW * 0.7071 + catSize + 6 : catSize + 8
        let y0 = pad + catH, y1 = height - pad - legendH
        guard y1 - y0 > 10 else {
            noData(into: &c, width: width, height: height)
            return
        }
        func yFor(_ v: Double) -> Double { y0 + (v - scale.lo) / (scale.hi - scale.lo) * (y1 - y0) }

        // Grid and ticks.
        c.lineWidth(0.4)
        c.stroke("#d9d9d9")
        for t in scale.ticks where t != 0 { c.line(x0, yFor(t), x1, yFor(t)) }
        c.fill("#444444")
        c.font("Helvetica", tickSize)
        for (t, s) in zip(scale.ticks, tickTexts) { c.text(s, x: x0 - 4, y: yFor(t) - tickSize * 0.35, anchor: .right) }
        c.stroke("#555555")
        c.lineWidth(0.8)
        c.line(x0, y0, x0, y1)
        let zeroY = yFor(0)
        c.line(x0, zeroY, x1, zeroY)

        // Category labels.
        c.font("Helvetica", catSize)
        c.fill("#222222")
        for (i, label) in p.labels.enumerated() {
            let cx = x0 + band * (Double(i) + 0.5)
            let t = TextMetrics.truncate(label, to: maxLabelW, size: catSize)
            if rotate {
                c.rotatedText(t, x: cx + catSize * 0.3, y: y0 - 6, degrees: 45, anchor: .right)
            } else {
                c.text(t, x: cx, y: y0 - catSize - 2, anchor: .centre)
            }
        }

        let s = p.series.count
        if line {
            for series in p.series {
                let pts = series.values.enumerated().map { (x0 + band * (Double($0.offset) + 0.5), yFor($0.element)) }
                c.stroke(series.color)
                c.lineWidth(1.6)
                if pts.count > 1 { c.polyline(pts) }
                c.fill(series.color)
                c.stroke("#ffffff")
                c.lineWidth(0.6)
                for (x, y) in pts { c.circle(x, y, 2.6, fill: true, stroke: true) }
            }
        } else {
            let inner = band * 0.78
            let barW = inner / Double(s)
            let showValues = barW >= 16 && n * s <= 36
            for (j, series) in p.series.enumerated() {
                c.fill(series.color)
                for (i, v) in series.values.enumerated() {
                    let x = x0 + band * Double(i) + (band - inner) / 2 + barW * Double(j)
                    let yv = yFor(v)
                    c.rect(x + 0.5, min(zeroY, yv), max(barW - 1, 0.5), abs(yv - zeroY), fill: true, stroke: false)
                }
            }
            if showValues {
                c.font("Helvetica", 6.5)
                c.fill("#333333")
                for (j, series) in p.series.enumerated() {
                    for (i, v) in series.values.enumerated() {
                        let x = x0 + band * Double(i) + (band - inner) / 2 + barW * (Double(j) + 0.5)
                        let y = v >= 0 ? yFor(v) + 2.5 : yFor(v) - 8.5
                        c.text(TextMetrics.truncate(scale.label(v, extraDecimals: 0, raw: true), to: barW + 8, size: 6.5), x: x, y: y, anchor: .centre)
                    }
                }
            }
        }

        // Legend.
        c.font("Helvetica", legendSize)
        var ly = height - pad - 10
        for row in legendRows {
            let rowWidth = row.reduce(0) { $0 + $1.1 } - 14
            var lx = (width - rowWidth) / 2
            for (j, w) in row {
                let series = p.series[j]
                if line {
                    c.stroke(series.color); c.lineWidth(1.6)
                    c.line(lx, ly + 3, lx + 16, ly + 3)
                    c.fill(series.color); c.stroke("#ffffff"); c.lineWidth(0.6)
                    c.circle(lx + 8, ly + 3, 2.6, fill: true, stroke: true)
                    c.fill("#222222")
                    c.text(series.title, x: lx + 22, y: ly)
                } else {
                    c.fill(series.color); c.stroke(series.color); c.lineWidth(0.5)
                    c.rect(lx, ly - 0.5, 8, 8, fill: true, stroke: true)
                    c.fill("#222222")
                    c.text(series.title, x: lx + 12, y: ly)
                }
                lx += w
            }
            ly -= 13
        }
    }

    static func noData(into c: inout ChartCanvas, width: Double, height: Double) {
        c.fill("#808080")
        c.font("Helvetica-Oblique", 10)
        c.text("No data", x: width / 2, y: height / 2, anchor: .centre)
    }

    /// Whether a `#rrggbb` colour is light (dark text reads better on it).
    static func isLight(_ color: String) -> Bool {
        guard color.hasPrefix("#"), color.count == 7, let v = Int(color.dropFirst(), radix: 16) else { return false }
        let r = Double((v >> 16) & 255), g = Double((v >> 8) & 255), b = Double(v & 255)
        return 0.299 * r + 0.587 * g + 0.114 * b > 170
    }
}

/// Axis bounds and ticks at 1, 2, 2.5 or 5 × 10ⁿ that cover a range.
struct NiceScale {
    var lo: Double
    var hi: Double
    var step: Double
    var decimals: Int

    init(min: Double, max: Double, maxTicks: Int) {
        var a = min, b = max
        if a == b { if a == 0 { b = 1 } else if a > 0 { a = 0 } else { b = 0 } }
        let range = Self.nice(b - a, round: false)
        let step = Self.nice(range / Double(Swift.max(maxTicks - 1, 1)), round: true)
        self.step = step
        self.lo = (a / step).rounded(.down) * step
        self.hi = (b / step).rounded(.up) * step
        if self.hi == self.lo { self.hi = self.lo + step }
        var d = 0
        while d < 6 && abs(step * pow(10, Double(d)) - (step * pow(10, Double(d))).rounded()) > 1e-6 { d += 1 }
        self.decimals = d
    }

    var ticks: [Double] {
        let count = Int(((hi - lo) / step).rounded())
        return (0...count).map { lo + Double($0) * step }
    }

    func label(_ v: Double, extraDecimals: Int = 0, raw: Bool = false) -> String {
        if raw { return ChartFormat.value(v) }
        return ChartFormat.value(abs(v) < step * 1e-9 ? 0 : v, decimals: decimals + extraDecimals)
    }

    static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = (log10(x)).rounded(.down)
        let f = x / pow(10, e)
        let nf: Double
        if round {
            nf = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10
        } else {
            nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        }
        return nf * pow(10, e)
    }
}
