import FolioRML

/// Builds `<imageAndFlowables>`: an image with the following flowables wrapping around it
/// (ReportLab's ImageAndFlowables, as z3c.rml maps its attributes).
enum ImageAndFlowables {
    static let paragraphDefaults: [String: String] = [
        "para": "Normal", "p": "Normal", "title": "Title",
        "h1": "Heading1", "h2": "Heading2", "h3": "Heading3", "h4": "Heading4", "h5": "Heading5", "h6": "Heading6",
    ]

    static func make(_ e: RMLElement, _ ctx: LayoutContext, story: StoryReader) throws(RMLError) -> [Flowable] {
        let d = ctx.diagnostics
        let content = try flowables(e, ctx, story: story)
        guard let name = e["imageName"] else {
            try d.warn("<imageAndFlowables> needs an 'imageName'; its flowables are laid out without an image", at: e.location)
            return content
        }
        let image = try ImageLoader.load(name, ctx, at: e.location)
        let width = try e.length("imageWidth", diagnostics: d)
        let height = try e.length("imageHeight", diagnostics: d)
        // As ReportLab's Image: each missing dimension is the pixel size (no aspect ratio kept).
        guard let w = width ?? image.map({ $0.naturalWidth }), let h = height ?? image.map({ $0.naturalHeight }) else {
            return content
        }
        var side = HorizontalAlignment.right
        if let raw = e["imageSide"] {
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "left": side = .left
            case "right": side = .right
            default: try d.warn("attribute 'imageSide' on <imageAndFlowables>: '\(raw)' is neither left nor right", at: e.location)
            }
        }
        return [ImageAndFlowablesBox(
            image: image, width: w, height: h, content: content,
            leftPadding: try e.length("imageLeftPadding", diagnostics: d) ?? 0,
            rightPadding: try e.length("imageRightPadding", diagnostics: d) ?? 3,
            topPadding: try e.length("imageTopPadding", diagnostics: d) ?? 0,
            bottomPadding: try e.length("imageBottomPadding", diagnostics: d) ?? 3,
            side: side, location: e.location)]
    }

    /// The content flowables; paragraphs become ones whose continuation after a split reflows at
    /// the width it is given (text beside the image continues below it at the full width).
    static func flowables(_ e: RMLElement, _ ctx: LayoutContext, story: StoryReader) throws(RMLError) -> [Flowable] {
        var out: [Flowable] = []
        for node in e.children {
            switch node {
            case .text(let t):
                if !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try ctx.diagnostics.warn("text outside any element in <imageAndFlowables> is ignored", at: e.location)
                }
            case .element(let c):
                if let styleName = paragraphDefaults[c.name], !InlineMarkup.isDynamic(c) {
                    let style = try story.paragraphStyle(for: c, defaultName: styleName)
                    let text = try InlineMarkup(ctx: ctx).build(c, style: style)
                    out.append(ReflowParagraph(text: text, style: style, location: c.location))
                } else {
                    out += try story.flowables(for: c)
                }
            }
        }
        return StoryReader.applyKeepWithNext(out)
    }
}

/// An image beside a column of flowables; what does not fit beside the image continues below it
/// at the full width.
final class ImageAndFlowablesBox: Flowable {
    let image: ImageSource?
    let imageWidth: Double
    let imageHeight: Double
    let content: [Flowable]
    let leftPadding, rightPadding, topPadding, bottomPadding: Double
    let side: HorizontalAlignment
    let location: SourceLocation?

    // Layout of the last wrap.
    private var drawWidth = 0.0, drawHeight = 0.0
    private var columnWidth = 0.0
    private var besideHeight = 0.0
    private var beside: [Flowable] = []
    private var below: [Flowable] = []
    private var width = 0.0, height = 0.0
    private var wrapped = false

    init(image: ImageSource?, width: Double, height: Double, content: [Flowable],
         leftPadding: Double, rightPadding: Double, topPadding: Double, bottomPadding: Double,
         side: HorizontalAlignment, location: SourceLocation?) {
        self.image = image; self.imageWidth = width; self.imageHeight = height; self.content = content
        self.leftPadding = leftPadding; self.rightPadding = rightPadding
        self.topPadding = topPadding; self.bottomPadding = bottomPadding
        self.side = side; self.location = location
    }

    var spaceBefore: Double { content.first { !($0 is ActionFlowable) }?.spaceBefore ?? 0 }
    var spaceAfter: Double {
        let list = !wrapped ? content : (!below.isEmpty ? below : beside)
        return list.last { !($0 is ActionFlowable) }?.spaceAfter ?? 0
    }

    func wrap(_ aW: Double, _ aH: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        let fuzz = StackedFlowables.fuzz
        // An image larger than the space is scaled down to fit it.
        drawWidth = imageWidth; drawHeight = imageHeight
        if imageWidth > aW + fuzz || imageHeight > aH + fuzz, imageWidth > 0, imageHeight > 0 {
            let f = max(0, min(aW / imageWidth, aH / imageHeight))
            drawWidth *= f; drawHeight *= f
        }
        columnWidth = aW - rightPadding - drawWidth - leftPadding
        let imageBlock = topPadding + drawHeight + bottomPadding
        let flat = try StackedFlowables.flatten(content, width: aW, ctx)
        var widest = aW
        var columnHeight = 0.0
        beside = []; below = flat
        if columnWidth > fuzz {
            (widest, columnHeight, beside, below) = try findSplit(flat, width: columnWidth, height: imageBlock, ctx)
        }
        if widest > columnWidth + fuzz {
            beside = []; below = flat
        }
        besideHeight = max(imageBlock, columnHeight)
        width = aW
        height = besideHeight + (below.isEmpty ? 0 : try StackedFlowables.height(of: below, width: aW, ctx))
        wrapped = true
        return Size(width: width, height: height)
    }

    /// Splits flowables into those beside the image (a paragraph may run on to the line that
    /// covers the image's bottom) and the rest (platypus `_findSplit`).
    private func findSplit(_ list: [Flowable], width: Double, height limit: Double, _ ctx: LayoutContext)
        throws(RMLError) -> (Double, Double, [Flowable], [Flowable]) {
        let fuzz = StackedFlowables.fuzz
        var availHeight = limit
        var widest = 0.0
        var total = 0.0
        var prevAfter = 0.0
        var atTop = true
        for (i, f) in list.enumerated() {
            let s = try f.wrap(width, 1e9, ctx)
            if s.width <= fuzz || s.height <= fuzz { continue }
            widest = max(widest, s.width)
            if !atTop { total += max(f.spaceBefore - prevAfter, 0) }
            atTop = false
            if total >= availHeight || s.width > width + fuzz {
                return (widest, availHeight, Array(list[..<i]), Array(list[i...]))
            }
            total += s.height
            if total > availHeight {
                var room = availHeight - (total - s.height)
                if let leading = (f as? Paragraph)?.style.leading ?? (f as? ReflowParagraph)?.style.leading, leading > 0 {
                    // Fill the column down to the line that reaches past the image.
                    var lines = leading * (room / leading).rounded(.down) + fuzz
                    if lines < room { lines += leading }
                    availHeight += lines - room
                    room = lines
                }
                let parts = try f.split(width, room, ctx)
                if parts.isEmpty { return (widest, availHeight, Array(list[..<i]), Array(list[i...])) }
                return (widest, availHeight, Array(list[..<i]) + [parts[0]], Array(parts.dropFirst()) + Array(list[(i + 1)...]))
            }
            prevAfter = f.spaceAfter
            total += prevAfter
        }
        return (widest, total - prevAfter, list, [])
    }

    func split(_ aW: Double, _ aH: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        _ = try wrap(aW, aH, ctx)
        if besideHeight > aH { return [] }
        var first = beside
        var rest = below
        if let head = below.first {
            let parts = head is ActionFlowable ? [] : try head.split(aW, aH - besideHeight, ctx)
            if !parts.isEmpty {
                first.append(parts[0])
                rest = Array(parts.dropFirst()) + Array(below.dropFirst())
            }
        }
        let box = ImageAndFlowablesBox(image: image, width: imageWidth, height: imageHeight, content: first,
                                       leftPadding: leftPadding, rightPadding: rightPadding, topPadding: topPadding,
                                       bottomPadding: bottomPadding, side: side, location: location)
        return [box] + rest
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        let top = y + height
        let imageX: Double, columnX: Double
        if side == .left {
            imageX = x + leftPadding
            columnX = imageX + rightPadding + drawWidth
        } else {
            imageX = x + width - drawWidth - rightPadding
            columnX = x
        }
        if let image {
            canvas.append(.image(image, Rect(x: imageX, y: top - topPadding - drawHeight, width: drawWidth, height: drawHeight)))
        }
        if !beside.isEmpty {
            try StackedFlowables.draw(beside, on: canvas, x: columnX, top: top, width: columnWidth, ctx)
        }
        if !below.isEmpty {
            try StackedFlowables.draw(below, on: canvas, x: x, top: top - besideHeight, width: width, ctx)
        }
    }
}

/// A paragraph whose continuation after a split is laid out afresh at whatever width it gets next
/// (ReportLab's split paragraphs keep their words, not their lines).
final class ReflowParagraph: Flowable {
    let text: StyledText
    let style: ParagraphStyle
    let location: SourceLocation?
    private let paragraph: Paragraph
    private let suppressSpaceBefore: Bool

    init(text: StyledText, style: ParagraphStyle, location: SourceLocation?, suppressSpaceBefore: Bool = false) {
        self.text = text; self.style = style; self.location = location
        self.suppressSpaceBefore = suppressSpaceBefore
        paragraph = Paragraph(text: text, style: style, location: location)
    }

    var spaceBefore: Double { suppressSpaceBefore ? 0 : paragraph.spaceBefore }
    var spaceAfter: Double { paragraph.spaceAfter }
    var keepWithNext: Bool { paragraph.keepWithNext }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        try paragraph.wrap(w, h, ctx)
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try paragraph.draw(on: canvas, x: x, y: y, ctx)
    }

    /// The paragraph's own split decides how many lines stay; the rest becomes a new reflowing
    /// paragraph made of the text after them.
    func split(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        let parts = try paragraph.split(w, h, ctx)
        guard parts.count == 2 else { return parts }
        // Read the characters of the lines that stay from a scratch drawing of the first part.
        let first = parts[0]
        let size = try first.wrap(w, h, ctx)
        let scratch = PageCanvas(width: w, height: size.height)
        try first.draw(on: scratch, x: 0, y: 0, ctx)
        var kept = 0
        for op in scratch.ops {
            if case .glyphs(let run, _, _) = op { kept += run.text.filter { !$0.isWhitespace }.count }
        }
        guard let tail = Self.text(text, afterNonWhitespace: kept), !tail.isEmpty else { return parts }
        var restStyle = style
        restStyle.firstLineIndent = 0
        return [first, ReflowParagraph(text: tail, style: restStyle, location: location, suppressSpaceBefore: true)]
    }

    /// The styled text after its first `count` non-whitespace characters and the whitespace after them.
    static func text(_ t: StyledText, afterNonWhitespace count: Int) -> StyledText? {
        let s = t.text
        var seen = 0
        var index = s.startIndex
        while index < s.endIndex && seen < count {
            if !s[index].isWhitespace { seen += 1 }
            index = s.index(after: index)
        }
        if seen < count { return nil }
        while index < s.endIndex && s[index].isWhitespace { index = s.index(after: index) }
        let start = s.utf8.distance(from: s.utf8.startIndex, to: index)
        let bytes = Array(s.utf8)
        var out = StyledText()
        for span in t.spans where span.range.upperBound > start {
            let lo = max(span.range.lowerBound, start)
            out.append(String(decoding: bytes[lo..<span.range.upperBound], as: UTF8.self), span.style)
        }
        return out
    }
}
