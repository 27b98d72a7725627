import FolioRML

/// Flowables made clickable as one area (`<link>` in a story), optionally outlined with a box.
final class LinkFlowable: Flowable {
    var stack: VerticalStack
    let target: LinkTarget
    let boxColor: Color?
    let boxWidth: Double
    let boxDash: [Double]
    let location: SourceLocation?
    private var size = Size(width: 0, height: 0)

    init(_ content: [Flowable], target: LinkTarget, boxColor: Color?, boxWidth: Double, boxDash: [Double], location: SourceLocation?) {
        stack = VerticalStack(content)
        self.target = target; self.boxColor = boxColor; self.boxWidth = boxWidth; self.boxDash = boxDash
        self.location = location
    }

    static func make(_ e: RMLElement, _ ctx: LayoutContext, story: StoryReader) throws(RMLError) -> [Flowable] {
        let content = try story.flowables(e)
        let target: LinkTarget
        if let url = e["url"] ?? e["href"] {
            target = .uri(url)
        } else if let dest = e["destination"] {
            target = .destination(dest)
        } else {
            try ctx.diagnostics.warn("<link> needs a 'url' or a 'destination'", at: e.location)
            return content
        }
        let dash = e["boxStrokeDashArray"].map { RMLValue.list($0).compactMap(RMLValue.length) } ?? []
        return [LinkFlowable(content, target: target, boxColor: try ctx.color(e["boxStrokeColor"], at: e.location),
                             boxWidth: try e.length("boxStrokeWidth", diagnostics: ctx.diagnostics) ?? 1,
                             boxDash: dash, location: e.location)]
    }

    var spaceBefore: Double { stack.content.first?.spaceBefore ?? 0 }
    var spaceAfter: Double { stack.content.last?.spaceAfter ?? 0 }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        let s = try stack.wrap(w, ctx, availableHeight: h)
        size = Size(width: w, height: s.height)
        return size
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try stack.draw(on: canvas, x: x, top: y + size.height, width: size.width, ctx)
        let area = Rect(x: x, y: y, width: size.width, height: size.height)
        canvas.append(.link(area, target))
        if let boxColor {
            canvas.save()
            canvas.setStroke(boxColor)
            canvas.setLineWidth(boxWidth)
            if !boxDash.isEmpty { canvas.append(.dash(boxDash, 0)) }
            canvas.rect(area, fill: false, stroke: true)
            canvas.restore()
        }
    }
}
