import FolioRML

/// Lays out an RML document page by page, handing each finished page to a callback before the
/// next one is started, so pages can be written and released as they are produced.
///
/// Documents that print the page count or names defined later get a first pass that only counts.
public final class DocumentLayout {
    public let document: RMLDocument
    public let ctx: LayoutContext
    private var templates: [PageTemplate] = []
    private var firstTemplate: String?

    // Running state of a pass.
    private var template: PageTemplate!
    private var nextTemplate: String?
    private var nextFrameName: String?
    private var frameIndex = 0
    private var frame: FrameSpec!
    private var cursorY = 0.0
    private var atTop = true
    private var prevSpaceAfter = 0.0
    private var canvas: PageCanvas?
    private var emit: ((Page) throws(RMLError) -> Void)!

    /// Upper bound on pages, so a story that cannot make progress ends with an error, not a hang.
    public var maxPages = 100_000

    public init(document: RMLDocument, context: LayoutContext) throws(RMLError) {
        self.document = document
        self.ctx = context
        if context.dialectOverride == nil { context.dialect = RMLDialect.detect(document) }
        try DocumentSetup.apply(document, ctx)
        if let t = document.template {
            (templates, firstTemplate) = try TemplateReader.read(t, ctx)
        } else if document.story != nil {
            // A story without a template: A4 with one-inch margins, as ReportLab's SimpleDocTemplate.
            (templates, firstTemplate) = try TemplateReader.read(RMLElement(name: "template", location: document.root.location), ctx)
        }
    }

    /// Runs the layout, calling `emit` with each page in order. Returns the page count.
    @discardableResult
    public func run(emit: @escaping (Page) throws(RMLError) -> Void) throws(RMLError) -> Int {
        if document.needsCountingPass {
            ctx.countingPass = true
            let total = try pass { _ throws(RMLError) in }
            ctx.pageCount = total
            ctx.finalNames = ctx.names
            ctx.sequences = [:]
            ctx.countingPass = false
        }
        return try pass(emit)
    }

    private func pass(_ emit: @escaping (Page) throws(RMLError) -> Void) throws(RMLError) -> Int {
        self.emit = emit
        ctx.pageNumber = 0
        ctx.names = ctx.initialNames
        if document.story == nil {
            return try canvasPages()
        }
        nextTemplate = nil
        nextFrameName = nil
        canvas = nil
        let reader = StoryReader(ctx: ctx)
        let feed: StoryFeed
        if let stream = document.storyStream {
            // A streamed story is read again from its source at each pass.
            feed = StoryFeed(cursor: try stream.open(diagnostics: ctx.diagnostics), reader: reader)
        } else {
            feed = StoryFeed(flowables: try reader.flowables(document.story!), reader: reader)
        }
        try flow(feed)
        if canvas != nil { try endPage() }
        return ctx.pageNumber
    }

    /// Documents without a story: one page per `<pageDrawing>`.
    private func canvasPages() throws(RMLError) -> Int {
        var size = try document.template.map { t throws(RMLError) in try TemplateReader.pageSize(t, ctx, default: TemplateReader.a4) } ?? TemplateReader.a4
        if let info = document.root.first("pageInfo") { size = try TemplateReader.pageSize(info, ctx, default: size) }
        let drawings = document.pageDrawings
        for d in drawings {
            ctx.pageNumber += 1
            var pageSize = size
            if let info = d.first("pageInfo") { pageSize = try TemplateReader.pageSize(info, ctx, default: size) }
            let c = PageCanvas(width: pageSize.width, height: pageSize.height)
            if let pt = templates.first { try CanvasGraphics(ctx: ctx).draw(pt.graphics, on: c) }
            try CanvasGraphics(ctx: ctx).draw([d], on: c)
            try emit(rotated(c.finish(number: ctx.pageNumber)))
        }
        if drawings.isEmpty && document.story == nil {
            try ctx.diagnostics.warn("the document has neither a story nor a pageDrawing", at: document.root.location)
        }
        return ctx.pageNumber
    }

    // MARK: Pages and frames

    /// Applies the template's `rotation` (multiples of 90°) as PDF viewers show it.
    private func rotated(_ page: Page) throws(RMLError) -> Page {
        guard let raw = document.template?["rotation"], let degrees = Int(raw.trimmingCharacters(in: .whitespaces)) else { return page }
        let turns = ((degrees / 90) % 4 + 4) % 4
        if turns == 0 { return page }
        var out = page
        let w = page.width, h = page.height
        let m: AffineTransform
        switch turns {
        case 1: out.width = h; out.height = w; m = AffineTransform(a: 0, b: -1, c: 1, d: 0, e: 0, f: w)
        case 2: m = AffineTransform(a: -1, b: 0, c: 0, d: -1, e: w, f: h)
        default: out.width = h; out.height = w; m = AffineTransform(a: 0, b: 1, c: -1, d: 0, e: h, f: 0)
        }
        out.ops = [.save, .transform(m)] + page.ops + [.restore]
        return out
    }

    private func startPage() throws(RMLError) {
        if ctx.pageNumber >= maxPages {
            throw RMLError("the document exceeds \(maxPages) pages; stopping", at: document.story?.location)
        }
        let name = nextTemplate ?? (ctx.pageNumber == 0 ? firstTemplate : template?.autoNextTemplate ?? template?.id)
        if let name, let t = templates.first(where: { $0.id == name }) {
            template = t
        } else {
            if let name, ctx.pageNumber == 0 || nextTemplate != nil {
                try ctx.diagnostics.warn("unknown page template '\(name)', '\(templates[0].id)' used", at: document.template?.location)
            }
            if template == nil || ctx.pageNumber == 0 { template = templates[0] }
        }
        nextTemplate = nil
        ctx.pageNumber += 1
        let c = PageCanvas(width: template.pageSize.width, height: template.pageSize.height)
        c.discardsText = ctx.countingPass
        canvas = c
        try CanvasGraphics(ctx: ctx).draw(template.graphics, on: c)
        frameIndex = 0
        if let n = nextFrameName, let i = template.frames.firstIndex(where: { $0.id == n }) { frameIndex = i }
        nextFrameName = nil
        enterFrame()
    }

    private func enterFrame() {
        frame = template.frames[frameIndex]
        cursorY = frame.y + frame.height - frame.topPadding
        atTop = true
        prevSpaceAfter = 0
        if frame.showBoundary, let c = canvas {
            c.save()
            c.setStroke(.black)
            c.setLineWidth(0.1)
            c.rect(Rect(x: frame.x, y: frame.y, width: frame.width, height: frame.height), fill: false, stroke: true)
            c.restore()
        }
    }

    private func endPage() throws(RMLError) {
        guard let c = canvas else { return }
        canvas = nil
        try emit(rotated(c.finish(number: ctx.pageNumber)))
    }

    private func newPage() throws(RMLError) {
        if canvas != nil { try endPage() }
        try startPage()
    }

    private func advanceFrame(named name: String? = nil) throws(RMLError) {
        if canvas == nil { try startPage(); return }
        if let name = name ?? nextFrameName {
            nextFrameName = nil
            // As ReportLab: a named next frame is used on the same page, whatever its position.
            if let i = template.frames.firstIndex(where: { $0.id == name }) {
                frameIndex = i
                enterFrame()
                return
            }
            try ctx.diagnostics.warn("unknown frame '\(name)'", at: nil)
        }
        if frameIndex + 1 < template.frames.count {
            frameIndex += 1
            enterFrame()
        } else {
            try newPage()
        }
    }

    // MARK: Flowing

    var availableWidth: Double { frame.width - frame.leftPadding - frame.rightPadding }
    var bottom: Double { frame.y + frame.bottomPadding }

    private func flow(_ story: StoryFeed) throws(RMLError) {
        var queue: [Flowable] = []   // a stack: the next flowable is last; refilled from the story
        var failures = 0
        while true {
            var next = queue.popLast()
            if next == nil { next = try story.next() }
            guard let f = next else { break }
            if canvas == nil { try startPage() }
            if let a = f as? ActionFlowable {
                try handle(a)
                continue
            }
            if let group = f as? FlowGroup {
                // Placement-dependent groups decide here, knowing the space left.
                let replacement = try group.resolve(availableWidth: availableWidth, availableHeight: cursorY - bottom,
                                                    frameHeight: frame.height - frame.topPadding - frame.bottomPadding,
                                                    atTop: atTop, ctx)
                queue.append(contentsOf: replacement.reversed())
                continue
            }
            if let placed = f as? StoryPlace {
                try placed.drawAbsolute(on: canvas!, frameOrigin: (frame.x, frame.y),
                                        cursor: (frame.x + frame.leftPadding, cursorY), ctx)
                continue
            }
            let s = atTop ? 0 : max(f.spaceBefore - prevSpaceAfter, 0)
            let availH = cursorY - bottom - s
            let size = try f.wrap(availableWidth, availH, ctx)
            if size.height <= availH + 1e-6 || (atTop && failures > 0) {
                if size.height > availH + 1e-6 {
                    try ctx.diagnostics.warn("content is too large for its frame (\(points(size.height)) pt high, \(points(max(availH, 0))) pt available) and overflows it", at: f.location)
                }
                try place(f, size, space: s)
                failures = 0
                continue
            }
            let parts = try f.split(availableWidth, availH, ctx)
            if !parts.isEmpty {
                queue.append(contentsOf: parts.reversed())
                continue
            }
            if atTop {
                // Nothing fits in an empty frame: place it anyway next round (reported) rather than loop.
                failures += 1
                queue.append(f)
                continue
            }
            queue.append(f)
            try advanceFrame()
        }
    }

    private func place(_ f: Flowable, _ size: Size, space: Double) throws(RMLError) {
        var x = frame.x + frame.leftPadding
        switch f.hAlign {
        case .left: break
        case .center: x += (availableWidth - size.width) / 2
        case .right: x += availableWidth - size.width
        }
        let y = cursorY - space - size.height
        try f.draw(on: canvas!, x: x, y: y, ctx)
        cursorY = y - f.spaceAfter
        prevSpaceAfter = f.spaceAfter
        atTop = false
    }

    private func handle(_ a: ActionFlowable) throws(RMLError) {
        switch a.action {
        case .nextFrame(let name):
            try advanceFrame(named: name)
        case .nextPage:
            try newPage()
        case .setNextTemplate(let name):
            if !templates.contains(where: { $0.id == name }) {
                try ctx.diagnostics.warn("unknown page template '\(name)'", at: a.location)
            } else {
                nextTemplate = name
            }
        case .setNextFrame(let name):
            nextFrameName = name
        case .currentFrame(let name):
            if let i = template.frames.firstIndex(where: { $0.id == name }) {
                frameIndex = i
                enterFrame()
            } else {
                try ctx.diagnostics.warn("unknown frame '\(name)'", at: a.location)
            }
        case .conditionalBreak(let height):
            if cursorY - bottom < height && !atTop { try advanceFrame() }
        }
    }
}

/// A flowable whose content depends on the space left where it lands (keepTogether, pto,
/// keepWithNext chains): the layout asks it for the flowables to place instead.
public protocol FlowGroup: Flowable {
    func resolve(availableWidth: Double, availableHeight: Double, frameHeight: Double, atTop: Bool,
                 _ ctx: LayoutContext) throws(RMLError) -> [Flowable]
}

/// A flowable drawn at a fixed position on the current page, outside the frame flow (`storyPlace`).
public protocol StoryPlace: Flowable {
    /// - Parameters:
    ///   - frameOrigin: bottom-left corner of the current frame.
    ///   - cursor: where the next flowable of the frame would go (left edge, current y).
    func drawAbsolute(on canvas: PageCanvas, frameOrigin: (Double, Double), cursor: (Double, Double),
                      _ ctx: LayoutContext) throws(RMLError)
}
