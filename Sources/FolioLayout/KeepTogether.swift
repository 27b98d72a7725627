import FolioRML

/// Keeps a group of flowables in one frame when they fit in one (`keepTogether`, `blockNosplit`,
/// keep-with-next chains); otherwise starts a new frame first, and splits from there.
public final class KeepTogether: FlowGroup {
    let content: [Flowable]
    public let location: SourceLocation?
    let maxHeight: Double?

    public init(_ content: [Flowable], location: SourceLocation?, maxHeight: Double? = nil) {
        self.content = content
        self.location = location
        self.maxHeight = maxHeight
    }

    public var spaceBefore: Double { content.first?.spaceBefore ?? 0 }

    public func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        Size(width: w, height: try totalHeight(w, ctx))
    }

    /// The group's height; with `limit`, tables measure only until they pass it (enough to tell
    /// whether the group fits, without reading a long streamed table whole).
    func totalHeight(_ width: Double, _ ctx: LayoutContext, limit: Double = 1e9) throws(RMLError) -> Double {
        var total = 0.0
        var prevAfter = 0.0
        for (i, f) in content.enumerated() {
            if f is ActionFlowable { continue }
            let size = try f.wrap(width, f is TableGuard || f is Table ? limit : 1e9, ctx)
            total += size.height + (i == 0 ? 0 : max(f.spaceBefore - prevAfter, 0)) + f.spaceAfter
            prevAfter = f.spaceAfter
        }
        return total - prevAfter
    }

    public func resolve(availableWidth: Double, availableHeight: Double, frameHeight: Double, atTop: Bool,
                        _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        let h = try totalHeight(availableWidth, ctx, limit: max(availableHeight, 0) + 1)
        // As ReportLab's KeepTogether: when the group does not fit the space left, start a new frame
        // (even if it will not fit a whole frame either; it is then split from the top of that frame).
        if h > availableHeight && !atTop && (maxHeight == nil || availableHeight <= maxHeight!) {
            return [ActionFlowable(.nextFrame(nil), location: location)] + content
        }
        return content
    }

    public func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {}
}

/// A horizontal line across the frame (`hr`).
final class HorizontalRule: Flowable {
    let width: String
    let thickness: Double
    let color: Color
    let spaceBeforeValue: Double
    let spaceAfterValue: Double
    let align: HorizontalAlignment
    let cap: Int
    let dash: [Double]
    let location: SourceLocation?
    private var drawnWidth = 0.0

    init(_ e: RMLElement, _ ctx: LayoutContext) throws(RMLError) {
        width = e["width"] ?? "100%"
        thickness = try e.length("thickness", diagnostics: ctx.diagnostics) ?? 1
        color = try ctx.color(e["color"], at: e.location, default: Color(red: 0.5, green: 0.5, blue: 0.5))!
        spaceBeforeValue = try e.length("spaceBefore", diagnostics: ctx.diagnostics) ?? 1
        spaceAfterValue = try e.length("spaceAfter", diagnostics: ctx.diagnostics) ?? 1
        switch (e["align"] ?? e["hAlign"] ?? "center").lowercased() {
        case "left": align = .left
        case "right": align = .right
        default: align = .center
        }
        cap = ["butt": 0, "round": 1, "square": 2][(e["lineCap"] ?? "round").lowercased()] ?? 1
        dash = e["dash"].map { RMLValue.list($0).compactMap(RMLValue.length) } ?? []
        location = e.location
    }

    var spaceBefore: Double { spaceBeforeValue }
    var spaceAfter: Double { spaceAfterValue }
    var hAlign: HorizontalAlignment { align }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size {
        if width.hasSuffix("%"), let p = Double(width.dropLast()) {
            drawnWidth = w * p / 100
        } else {
            drawnWidth = min(RMLValue.length(width) ?? w, w)
        }
        return Size(width: drawnWidth, height: thickness)
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {
        canvas.save()
        canvas.setStroke(color)
        canvas.setLineWidth(thickness)
        canvas.append(.lineCap(cap))
        if !dash.isEmpty { canvas.append(.dash(dash, 0)) }
        canvas.line(x, y + thickness / 2, x + drawnWidth, y + thickness / 2)
        canvas.restore()
    }
}

/// A fixed-size drawing made of canvas operations (`illustration`), origin at its bottom-left corner.
final class Illustration: Flowable {
    let element: RMLElement
    let width: Double
    let height: Double
    var location: SourceLocation? { element.location }
    var hAlign: HorizontalAlignment {
        switch (element["align"] ?? "left").lowercased() { case "center", "centre": .center; case "right": .right; default: .left }
    }

    init(element: RMLElement, width: Double, height: Double) {
        self.element = element; self.width = width; self.height = height
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: width, height: height) }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        canvas.save()
        canvas.transform(.translation(x, y))
        try CanvasGraphics(ctx: ctx).run(element.elements, on: canvas)
        canvas.restore()
    }
}

/// Shifts its content in from the frame edges (`indent`).
final class Indented: Flowable {
    let content: [Flowable]
    let left: Double, right: Double
    let location: SourceLocation?
    private var sizes: [Size] = []
    private var widthUsed = 0.0

    init(_ content: [Flowable], left: Double, right: Double, location: SourceLocation?) {
        self.content = content; self.left = left; self.right = right; self.location = location
    }

    var spaceBefore: Double { content.first?.spaceBefore ?? 0 }
    var spaceAfter: Double { content.last?.spaceAfter ?? 0 }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        widthUsed = w
        sizes = []
        var total = 0.0
        var prev = 0.0
        for (i, f) in content.enumerated() {
            let s = try f.wrap(w - left - right, h, ctx)
            sizes.append(s)
            total += s.height + (i == 0 ? 0 : max(f.spaceBefore - prev, 0)) + (i == content.count - 1 ? 0 : f.spaceAfter)
            prev = f.spaceAfter
        }
        return Size(width: w, height: total)
    }

    func split(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        // Split into individually indented flowables so the frame can break between them.
        if content.count > 1 {
            return content.map { Indented([$0], left: left, right: right, location: location) }
        }
        guard let only = content.first else { return [] }
        return try only.split(w - left - right, h, ctx).map { Indented([$0], left: left, right: right, location: location) }
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        var top = y + sizes.reduce(0) { $0 + $1.height }
        var prev = 0.0
        var first = true
        var cursor = y
        // Recompute the height as wrap did, then draw top-down.
        var total = 0.0
        for (i, f) in content.enumerated() {
            total += sizes[i].height + (i == 0 ? 0 : max(f.spaceBefore - prev, 0)) + (i == content.count - 1 ? 0 : f.spaceAfter)
            prev = f.spaceAfter
        }
        top = y + total
        cursor = top
        prev = 0
        for (i, f) in content.enumerated() {
            if !first { cursor -= max(f.spaceBefore - prev, 0) }
            first = false
            cursor -= sizes[i].height
            var fx = x + left
            let inner = widthUsed - left - right
            switch f.hAlign {
            case .center: fx += (inner - sizes[i].width) / 2
            case .right: fx += inner - sizes[i].width
            case .left: break
            }
            try f.draw(on: canvas, x: fx, y: cursor, ctx)
            cursor -= f.spaceAfter
            prev = f.spaceAfter
        }
    }
}
