import FolioRML

/// Collects the drawing operations of one page, tracking the graphics state RML's canvas
/// operations rely on (colours, line width, current font).
public final class PageCanvas {
    public let width: Double
    public let height: Double
    public private(set) var ops: [DrawOp] = []

    /// Current graphics state, saved and restored with `save()`/`restore()`.
    public struct State {
        public var fill = Color.black
        public var stroke = Color.black
        public var lineWidth = 1.0
        public var fontName = "Helvetica"
        public var fontSize = 12.0
        public var leading: Double? = nil
    }
    public var state = State()
    private var stack: [State] = []

    /// Set on the pages of a counting pass, which are thrown away: text is not recorded.
    public var discardsText = false

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public func append(_ op: DrawOp) { ops.append(op) }

    public func save() {
        stack.append(state)
        ops.append(.save)
    }

    public func restore() {
        guard let s = stack.popLast() else { return }
        state = s
        ops.append(.restore)
    }

    public func transform(_ m: AffineTransform) { ops.append(.transform(m)) }

    public func setFill(_ c: Color) {
        state.fill = c
        ops.append(.fillColor(c))
    }

    public func setStroke(_ c: Color) {
        state.stroke = c
        ops.append(.strokeColor(c))
    }

    public func setLineWidth(_ w: Double) {
        state.lineWidth = w
        ops.append(.lineWidth(w))
    }

    public func path(_ elements: [PathElement], fill: Bool, stroke: Bool, evenOdd: Bool = false) {
        guard fill || stroke, !elements.isEmpty else { return }
        ops.append(.path(elements, PaintMode(fill: fill, stroke: stroke, evenOdd: evenOdd)))
    }

    public func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) {
        ops.append(.path([.move(x1, y1), .line(x2, y2)], PaintMode(fill: false, stroke: true)))
    }

    public func rect(_ r: Rect, fill: Bool, stroke: Bool) {
        path(Self.rectPath(r), fill: fill, stroke: stroke)
    }

    public static func rectPath(_ r: Rect) -> [PathElement] {
        [.move(r.x, r.y), .line(r.maxX, r.y), .line(r.maxX, r.maxY), .line(r.x, r.maxY), .close]
    }

    /// A rounded rectangle path (radius clamped to half the shorter side).
    public static func roundRectPath(_ r: Rect, radius: Double) -> [PathElement] {
        let rad = min(radius, abs(r.width) / 2, abs(r.height) / 2)
        if rad <= 0 { return rectPath(r) }
        let k = 0.5522847498 * rad
        let x0 = r.x, y0 = r.y, x1 = r.maxX, y1 = r.maxY
        return [
            .move(x0 + rad, y0), .line(x1 - rad, y0), .curve(x1 - rad + k, y0, x1, y0 + rad - k, x1, y0 + rad),
            .line(x1, y1 - rad), .curve(x1, y1 - rad + k, x1 - rad + k, y1, x1 - rad, y1),
            .line(x0 + rad, y1), .curve(x0 + rad - k, y1, x0, y1 - rad + k, x0, y1 - rad),
            .line(x0, y0 + rad), .curve(x0, y0 + rad - k, x0 + rad - k, y0, x0 + rad, y0), .close,
        ]
    }

    /// An ellipse inscribed in a rectangle, as four Bézier curves.
    public static func ellipsePath(cx: Double, cy: Double, rx: Double, ry: Double) -> [PathElement] {
        let k = 0.5522847498
        return [
            .move(cx + rx, cy),
            .curve(cx + rx, cy + ry * k, cx + rx * k, cy + ry, cx, cy + ry),
            .curve(cx - rx * k, cy + ry, cx - rx, cy + ry * k, cx - rx, cy),
            .curve(cx - rx, cy - ry * k, cx - rx * k, cy - ry, cx, cy - ry),
            .curve(cx + rx * k, cy - ry, cx + rx, cy - ry * k, cx + rx, cy),
            .close,
        ]
    }

    /// Draws a shaped line with its left end at x and baseline at y, including underline,
    /// strike-through, background and link areas of its runs.
    public func draw(_ line: ShapedLine, x: Double, y: Double) {
        if discardsText { return }
        var currentFill = state.fill
        for run in line.runs {
            let rx = x + run.x
            let by = y + run.style.rise
            if let bg = run.style.backColor {
                ops.append(.fillColor(bg))
                ops.append(.path(Self.rectPath(Rect(x: rx, y: by - run.style.size * 0.25, width: run.width, height: run.style.size * 1.15)),
                                 PaintMode(fill: true, stroke: false)))
                currentFill = bg
            }
            if run.style.color != currentFill {
                ops.append(.fillColor(run.style.color))
                currentFill = run.style.color
            }
            if let img = run.style.image {
                ops.append(.image(img.source, Rect(x: rx, y: by + img.rise, width: img.width, height: img.height)))
                continue
            }
            ops.append(.glyphs(run.glyphs, x: rx, y: by))
            if run.style.underline {
                decorate(run, x: rx, baseline: by, run.style.underlineStyle, defaultOffset: -0.125)
            }
            if run.style.strike {
                decorate(run, x: rx, baseline: by, run.style.strikeStyle, defaultOffset: 0.25)
            }
            if run.style.underline || run.style.strike { currentFill = .init(red: -1, green: -1, blue: -1) }
            if let link = run.style.link {
                ops.append(.link(Rect(x: rx, y: by - run.style.size * 0.2, width: run.width, height: run.style.size), link))
            }
        }
        if currentFill != state.fill { ops.append(.fillColor(state.fill)) }
    }

    /// Underline or strike-through lines under/through a run, as ReportLab draws them.
    private func decorate(_ run: ShapedRun, x: Double, baseline: Double, _ d: Decoration?, defaultOffset: Double) {
        let size = run.style.size
        let width = d?.width?.value(fontSize: size) ?? max(0.5, size / 18)
        let offset = d?.offset?.value(fontSize: size) ?? defaultOffset * size
        let gap = d?.gap?.value(fontSize: size) ?? 1
        let color = d?.color ?? run.style.color
        ops.append(.fillColor(color))
        for i in 0..<max(1, d?.count ?? 1) {
            // Underlines stack downwards, strike-through lines upwards (as ReportLab).
            let y = baseline + offset + (defaultOffset < 0 ? -1.0 : 1.0) * Double(i) * (gap + width)
            ops.append(.path(Self.rectPath(Rect(x: x, y: y - width / 2, width: run.width, height: width)),
                             PaintMode(fill: true, stroke: false)))
        }
    }

    /// Takes the finished page.
    public func finish(number: Int) -> Page {
        while !stack.isEmpty { restore() }
        return Page(number: number, width: width, height: height, ops: ops)
    }
}
