import FolioRML

/// A paragraph of styled text, broken into lines by the text shaper (`para`, `title`, `h1`…`h6`).
///
/// Height is lines × leading; the first baseline sits one font size below the top, as in ReportLab.
public final class Paragraph: Flowable {
    public let style: ParagraphStyle
    public let location: SourceLocation?
    private let source: RMLElement?
    private var text: StyledText?
    private let dynamic: Bool
    var preserveWhitespace = false
    /// Lines already shaped (for the width they were shaped at).
    private var lines: [ShapedLine] = []
    private var shapedWidth = -1.0
    private var shapedPage = -1
    /// Set on the continuation of a split paragraph: its lines are fixed.
    private var fixedLines = false
    private var height = 0.0
    /// Bullet drawn left of the first line (lists).
    var bullet: (text: String, style: InlineStyle, indent: Double)?

    public var spaceBefore: Double { suppressSpaceBefore ? 0 : style.spaceBefore }
    public var spaceAfter: Double { suppressSpaceAfter ? 0 : style.spaceAfter }
    public var keepWithNext: Bool { style.keepWithNext }

    /// A paragraph from RML mixed content.
    public init(element: RMLElement, style: ParagraphStyle) {
        self.source = element
        self.style = style
        self.location = element.location
        self.dynamic = InlineMarkup.isDynamic(element)
    }

    /// A paragraph from plain text.
    public init(text: StyledText, style: ParagraphStyle, location: SourceLocation?) {
        self.source = nil
        self.text = text
        self.style = style
        self.location = location
        self.dynamic = false
    }

    private init(lines: [ShapedLine], of other: Paragraph) {
        self.source = nil
        self.style = other.style
        self.location = other.location
        self.dynamic = false
        self.lines = lines
        self.fixedLines = true
        self.shapedWidth = other.shapedWidth
        self.preserveWhitespace = other.preserveWhitespace
    }

    private func styledText(_ ctx: LayoutContext) throws(RMLError) -> StyledText {
        if let text, !dynamic { return text }
        guard let source else { return text ?? StyledText() }
        var markup = InlineMarkup(ctx: ctx)
        markup.preserveWhitespace = preserveWhitespace
        let t = try markup.build(source, style: style)
        text = t
        return t
    }

    private func shape(_ width: Double, _ ctx: LayoutContext) throws(RMLError) {
        if fixedLines { return }
        if width == shapedWidth && (!dynamic || shapedPage == ctx.pageNumber) { return }
        let t = try styledText(ctx)
        let lineWidth = width - style.leftIndent - style.rightIndent
        if t.isEmpty {
            lines = []
        } else {
            var request = ParagraphShape(text: t, width: lineWidth, firstLineIndent: style.firstLineIndent, alignment: style.alignment)
            request.wrap = !preserveWhitespace
            request.characterWrap = style.wordWrap?.uppercased() == "CJK"
            lines = ctx.shaper.shape(request)
            ctx.flushMissingGlyphs(at: location)
        }
        shapedWidth = width
        shapedPage = ctx.pageNumber
    }

    public func wrap(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        try shape(availableWidth, ctx)
        height = Double(lines.count) * style.leading
        return Size(width: availableWidth, height: height)
    }

    public func split(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        try shape(availableWidth, ctx)
        guard style.leading > 0, availableHeight > 0 else { return [] }
        var fit = Int(min(Double(lines.count), (availableHeight + 1e-6) / style.leading))
        if fit <= 0 || fit >= lines.count { return [] }
        // Orphan control: do not leave a lone first line at the bottom of a frame.
        if fit == 1 && !style.allowOrphans && lines.count > 1 { return [] }
        // Widow control: do not carry a lone last line over.
        if !style.allowWidows && lines.count - fit == 1 { fit -= 1; if fit <= 0 { return [] } }
        let first = Paragraph(lines: Array(lines[..<fit]), of: self)
        var restStyle = Paragraph(lines: Array(lines[fit...]), of: self)
        // When the shaper said which text each line holds, the rest stays text and is broken again
        // at whatever width its next frame has.
        if !dynamic, let t = text, let start = lines[fit].byteRange?.lowerBound {
            var style = self.style
            style.firstLineIndent = 0
            let rest = Paragraph(text: t.suffix(fromByte: start), style: style, location: location)
            rest.preserveWhitespace = preserveWhitespace
            restStyle = rest
        }
        restStyle = restStyle.withoutSpaceBefore()
        first.bullet = bullet
        return [first.withoutSpaceAfter(), restStyle]
    }

    /// Forgets the shaped lines (and the styled text when it can be rebuilt from the source), so a
    /// paragraph kept for later draws holds only its source; the next `wrap` shapes it again.
    func releaseShaping() {
        guard !fixedLines else { return }
        lines = []
        shapedWidth = -1
        shapedPage = -1
        if source != nil { text = nil }
    }

    private var suppressSpaceBefore = false
    private var suppressSpaceAfter = false
    private func withoutSpaceBefore() -> Paragraph { suppressSpaceBefore = true; return self }
    private func withoutSpaceAfter() -> Paragraph { suppressSpaceAfter = true; return self }

    public func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        let top = y + height
        let width = shapedWidth
        if style.backColor != nil || style.borderWidth > 0 && style.borderColor != nil {
            let bp = style.borderPadding
            let box = Rect(x: x + style.leftIndent - bp[3], y: y - bp[2],
                           width: width - style.leftIndent - style.rightIndent + bp[1] + bp[3], height: height + bp[0] + bp[2])
            let path = style.borderRadius.map { PageCanvas.roundRectPath(box, radius: $0) } ?? PageCanvas.rectPath(box)
            canvas.save()
            if let bg = style.backColor { canvas.setFill(bg) }
            if let bc = style.borderColor, style.borderWidth > 0 {
                canvas.setStroke(bc)
                canvas.setLineWidth(style.borderWidth)
            }
            canvas.path(path, fill: style.backColor != nil, stroke: style.borderWidth > 0 && style.borderColor != nil)
            canvas.restore()
        }
        for (i, line) in lines.enumerated() {
            let baseline = top - style.fontSize - Double(i) * style.leading
            canvas.draw(line, x: x + style.leftIndent, y: baseline)
        }
        if let bullet, !lines.isEmpty {
            let shaped = ctx.shaper.shapeLine(bullet.text, style: bullet.style)
            canvas.draw(shaped, x: x + bullet.indent, y: top - style.fontSize)
        }
    }
}
