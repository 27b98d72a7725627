import FolioRML

/// A list of flowables laid out top-down in a box, without frames or page breaks: the content of
/// table cells, `place`, `storyPlace`, `keepInFrame` and `fixedSize`.
struct VerticalStack {
    var content: [Flowable]
    private(set) var sizes: [Size] = []
    private(set) var height = 0.0
    private(set) var width = 0.0

    init(_ content: [Flowable]) { self.content = content.filter { !($0 is ActionFlowable) } }

    /// Measures every flowable at `width`; returns the natural size (widest child, total height).
    mutating func wrap(_ width: Double, _ ctx: LayoutContext, availableHeight: Double = 1e9) throws(RMLError) -> Size {
        sizes = []
        var total = 0.0
        var prev = 0.0
        var widest = 0.0
        for (i, f) in content.enumerated() {
            let s = try f.wrap(width, availableHeight, ctx)
            sizes.append(s)
            widest = max(widest, s.width)
            total += s.height + (i == 0 ? 0 : max(f.spaceBefore - prev, 0))
            if i < content.count - 1 { total += f.spaceAfter }
            prev = f.spaceAfter
        }
        height = total
        self.width = width
        return Size(width: widest, height: total)
    }

    /// Draws with the top-left corner of the box at (x, top); `width` is the box width used for
    /// alignment (`align: false` draws every flowable at the left edge, as z3c.rml's `place` does).
    func draw(on canvas: PageCanvas, x: Double, top: Double, width boxWidth: Double, align: Bool = true,
              _ ctx: LayoutContext) throws(RMLError) {
        var cursor = top
        var prev = 0.0
        for (i, f) in content.enumerated() {
            if i > 0 { cursor -= max(f.spaceBefore - prev, 0) }
            cursor -= sizes[i].height
            var fx = x
            switch align ? f.hAlign : .left {
            case .center: fx += (boxWidth - sizes[i].width) / 2
            case .right: fx += boxWidth - sizes[i].width
            case .left: break
            }
            try f.draw(on: canvas, x: fx, y: cursor, ctx)
            cursor -= f.spaceAfter
            prev = f.spaceAfter
        }
    }
}

/// Flowables drawn inside a fixed rectangle: `<place>` in page graphics and `<storyPlace>` in a story.
final class PlacedStory: StoryPlace {
    let element: RMLElement
    let rect: Rect
    let origin: String
    var location: SourceLocation? { element.location }

    init(element: RMLElement, rect: Rect, origin: String) {
        self.element = element; self.rect = rect; self.origin = origin
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: 0, height: 0) }
    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try drawAbsolute(on: canvas, frameOrigin: (0, 0), cursor: (x, y), ctx)
    }

    func drawAbsolute(on canvas: PageCanvas, frameOrigin: (Double, Double), cursor: (Double, Double),
                      _ ctx: LayoutContext) throws(RMLError) {
        var r = rect
        switch origin {
        case "frame": r.x += frameOrigin.0; r.y += frameOrigin.1
        case "local": r.x += cursor.0; r.y += cursor.1
        default: break
        }
        try Self.draw(element, in: r, on: canvas, ctx)
    }

    /// Lays out the element's story content in `rect` (top-down from its top edge).
    static func draw(_ e: RMLElement, in rect: Rect, on canvas: PageCanvas, _ ctx: LayoutContext) throws(RMLError) {
        var stack = VerticalStack(try StoryReader(ctx: ctx).flowables(e))
        let size = try stack.wrap(rect.width, ctx, availableHeight: rect.height)
        if size.height > rect.height + 0.5 {
            try ctx.diagnostics.warn("content of <\(e.name)> is \(points(size.height)) pt high and overflows its \(points(rect.height)) pt box", at: e.location)
        }
        try stack.draw(on: canvas, x: rect.x, top: rect.maxY, width: rect.width, align: false, ctx)
    }
}

/// Content kept within a maximum size (`keepInFrame`, `fixedSize`): shrunk, truncated, or left to overflow.
final class KeepInFrame: Flowable {
    var stack: VerticalStack
    let maxWidth: Double
    let maxHeight: Double
    let mode: String
    let fixed: Bool
    let location: SourceLocation?
    private var scale = 1.0
    private var size = Size(width: 0, height: 0)
    private var boxWidth = 0.0

    init(_ content: [Flowable], maxWidth: Double, maxHeight: Double, mode: String, fixed: Bool, location: SourceLocation?) {
        stack = VerticalStack(content)
        self.maxWidth = maxWidth; self.maxHeight = maxHeight; self.mode = mode.lowercased(); self.fixed = fixed
        self.location = location
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        boxWidth = maxWidth > 0 ? maxWidth : w
        let limitH = maxHeight > 0 ? maxHeight : h
        let natural = try stack.wrap(boxWidth, ctx)
        scale = 1
        if mode == "shrink" && (natural.height > limitH || natural.width > boxWidth) && natural.height > 0 {
            // As ReportLab: the content keeps its layout at the box width and is scaled down to fit.
            scale = 1 / max(natural.width / boxWidth, natural.height / limitH)
        }
        let contentHeight = stack.height * scale
        if fixed {
            size = Size(width: boxWidth, height: maxHeight)
        } else {
            size = Size(width: boxWidth, height: mode == "truncate" ? min(contentHeight, limitH) : contentHeight)
        }
        if mode == "error" && contentHeight > limitH + 0.01 {
            throw RMLError("content of keepInFrame is \(points(contentHeight)) pt high, more than its \(points(limitH)) pt", at: location)
        }
        return size
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        canvas.save()
        if mode == "truncate" || fixed {
            canvas.append(.clip(PageCanvas.rectPath(Rect(x: x, y: y, width: size.width, height: size.height)), evenOdd: false))
        }
        let top = y + size.height
        canvas.transform(.translation(x, top))
        canvas.transform(.scale(scale, scale))
        try stack.draw(on: canvas, x: 0, top: 0, width: boxWidth / scale, ctx)
        canvas.restore()
    }
}
