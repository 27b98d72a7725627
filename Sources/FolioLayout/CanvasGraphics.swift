import FolioRML
import Foundation

/// Interprets RML's canvas operations (`pageGraphics`, `pageDrawing`, `illustration` content):
/// strings, shapes, paths, images, transforms and graphics state.
struct CanvasGraphics {
    let ctx: LayoutContext

    func draw(_ containers: [RMLElement], on canvas: PageCanvas) throws(RMLError) {
        for c in containers {
            canvas.save()
            try run(c.elements, on: canvas)
            canvas.restore()
        }
    }

    private func len(_ e: RMLElement, _ name: String, _ def: Double? = nil) throws(RMLError) -> Double? {
        try e.length(name, diagnostics: ctx.diagnostics) ?? def
    }

    private func required(_ e: RMLElement, _ names: String...) throws(RMLError) -> [Double]? {
        var out: [Double] = []
        for n in names {
            guard let v = try len(e, n) else {
                try ctx.diagnostics.warn("<\(e.name)> needs attribute '\(n)'; element ignored", at: e.location)
                return nil
            }
            out.append(v)
        }
        return out
    }

    private func flag(_ e: RMLElement, _ name: String, _ def: Bool) throws(RMLError) -> Bool {
        try e.bool(name, diagnostics: ctx.diagnostics) ?? def
    }

    func run(_ elements: [RMLElement], on canvas: PageCanvas) throws(RMLError) {
        for e in elements {
            try op(e, on: canvas)
        }
    }

    /// Text of a drawString-like element, with page numbers and names substituted.
    func dynamicText(_ e: RMLElement) -> String {
        var out = ""
        for c in e.children {
            switch c {
            case .text(let t): out += t
            case .element(let x):
                switch x.name {
                case "pageNumber": out += String(ctx.pageNumber + (Int(x["countingFrom"] ?? "1") ?? 1) - 1)
                case "pageCount": out += ctx.pageCount.map(String.init) ?? "00"
                case "getName":
                    let id = x["id"] ?? ""
                    out += ctx.names[id] ?? ctx.finalNames[id] ?? x["default"] ?? ""
                case "name", "namedString":
                    if let id = x["id"] { ctx.names[id] = x["value"] ?? x.text }
                default: out += dynamicText(x)
                }
            }
        }
        return out
    }

    private func currentStyle(_ canvas: PageCanvas, at loc: SourceLocation) -> InlineStyle {
        InlineStyle(face: ctx.face(canvas.state.fontName, at: loc), size: canvas.state.fontSize, color: canvas.state.fill)
    }

    private func op(_ e: RMLElement, on canvas: PageCanvas) throws(RMLError) {
        let loc = e.location
        switch e.name {
        case "setFont":
            if let name = e["name"] { canvas.state.fontName = name }
            if let s = try len(e, "size") { canvas.state.fontSize = s }
            if let l = try len(e, "leading") { canvas.state.leading = l }
        case "setFontSize":
            if let s = try len(e, "size") { canvas.state.fontSize = s }
            if let l = try len(e, "leading") { canvas.state.leading = l }
        case "drawString", "drawRightString", "drawCentredString", "drawCenteredString", "drawAlignedString":
            guard let xy = try required(e, "x", "y") else { return }
            let raw = dynamicText(e)
            // The counting pass needs only what the text sets (names), not its glyphs.
            if ctx.countingPass { return }
            let text = Self.collapsingWhitespace(raw)
            let line = ctx.shaper.shapeLine(text, style: currentStyle(canvas, at: loc))
            ctx.flushMissingGlyphs(at: loc)
            var x = xy[0]
            switch e.name {
            case "drawRightString": x -= line.width
            case "drawCentredString", "drawCenteredString": x -= line.width / 2
            default: break
            }
            canvas.draw(line, x: x, y: xy[1])
        case "fill":
            if let c = try ctx.color(e["color"], at: loc) { canvas.setFill(c) }
        case "stroke":
            if let c = try ctx.color(e["color"], at: loc) { canvas.setStroke(c) }
        case "lineMode":
            if let w = try len(e, "width") { canvas.setLineWidth(w) }
            if let dash = e["dash"] {
                let parts = RMLValue.list(dash).compactMap(RMLValue.length)
                canvas.append(.dash(parts, 0))
            }
            if let cap = e["cap"] { canvas.append(.lineCap(["butt": 0, "round": 1, "square": 2][cap.lowercased()] ?? Int(cap) ?? 0)) }
            if let join = e["join"] { canvas.append(.lineJoin(["miter": 0, "mitre": 0, "round": 1, "bevel": 2][join.lowercased()] ?? Int(join) ?? 0)) }
        case "lines":
            let values = e.text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
            var nums: [Double] = []
            for v in values {
                guard let d = RMLValue.length(v) else {
                    try ctx.diagnostics.warn("<lines>: '\(v)' is not a length", at: loc)
                    return
                }
                nums.append(d)
            }
            if nums.count % 4 != 0 { try ctx.diagnostics.warn("<lines> needs groups of four coordinates", at: loc) }
            var path: [PathElement] = []
            var i = 0
            while i + 3 < nums.count {
                path.append(.move(nums[i], nums[i + 1])); path.append(.line(nums[i + 2], nums[i + 3]))
                i += 4
            }
            canvas.path(path, fill: false, stroke: true)
        case "rect":
            guard let v = try required(e, "x", "y", "width", "height") else { return }
            let r = Rect(x: v[0], y: v[1], width: v[2], height: v[3])
            let path = try len(e, "round").map { PageCanvas.roundRectPath(r, radius: $0) } ?? PageCanvas.rectPath(r)
            canvas.path(path, fill: try flag(e, "fill", false), stroke: try flag(e, "stroke", true))
        case "circle":
            guard let v = try required(e, "x", "y", "radius") else { return }
            canvas.path(PageCanvas.ellipsePath(cx: v[0], cy: v[1], rx: v[2], ry: v[2]),
                        fill: try flag(e, "fill", false), stroke: try flag(e, "stroke", true))
        case "ellipse":
            guard let v = try required(e, "x", "y", "width", "height") else { return }
            // ReportLab's ellipse: (x, y) is one corner of the bounding box.
            canvas.path(PageCanvas.ellipsePath(cx: v[0] + v[2] / 2, cy: v[1] + v[3] / 2, rx: abs(v[2]) / 2, ry: abs(v[3]) / 2),
                        fill: try flag(e, "fill", false), stroke: try flag(e, "stroke", true))
        case "grid":
            let xs = try e.lengths("xs", diagnostics: ctx.diagnostics) ?? []
            let ys = try e.lengths("ys", diagnostics: ctx.diagnostics) ?? []
            guard let x0 = xs.first, let x1 = xs.last, let y0 = ys.first, let y1 = ys.last else { return }
            var path: [PathElement] = []
            for x in xs { path += [.move(x, y0), .line(x, y1)] }
            for y in ys { path += [.move(x0, y), .line(x1, y)] }
            canvas.path(path, fill: false, stroke: true)
        case "curves":
            let nums = e.text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).compactMap { RMLValue.length(String($0)) }
            var path: [PathElement] = []
            var i = 0
            while i + 7 < nums.count {
                path.append(.move(nums[i], nums[i + 1]))
                path.append(.curve(nums[i + 2], nums[i + 3], nums[i + 4], nums[i + 5], nums[i + 6], nums[i + 7]))
                i += 8
            }
            canvas.path(path, fill: false, stroke: true)
        case "path":
            try drawPath(e, on: canvas)
        case "image":
            try drawImage(e, on: canvas)
        case "translate":
            canvas.transform(.translation(try len(e, "dx", 0)!, try len(e, "dy", 0)!))
        case "scale":
            canvas.transform(.scale(try e.number("sx", diagnostics: ctx.diagnostics) ?? 1, try e.number("sy", diagnostics: ctx.diagnostics) ?? 1))
        case "rotate":
            canvas.transform(.rotation(try e.number("degrees", diagnostics: ctx.diagnostics) ?? 0))
        case "skew":
            let a = (try e.number("alpha", diagnostics: ctx.diagnostics) ?? 0) * .pi / 180
            let b = (try e.number("beta", diagnostics: ctx.diagnostics) ?? 0) * .pi / 180
            canvas.transform(AffineTransform(a: 1, b: tan(a), c: tan(b), d: 1, e: 0, f: 0))
        case "transform":
            let m = e.text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).compactMap { Double($0) }
            if m.count == 6 {
                canvas.transform(AffineTransform(a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5]))
            } else {
                try ctx.diagnostics.warn("<transform> needs six numbers", at: loc)
            }
        case "saveState":
            canvas.save()
        case "restoreState":
            canvas.restore()
        case "place":
            guard let v = try required(e, "x", "y", "width", "height") else { return }
            try PlacedStory.draw(e, in: Rect(x: v[0], y: v[1], width: v[2], height: v[3]), on: canvas, ctx)
        case "barCode":
            try BarcodeDrawer.drawCanvas(e, on: canvas, ctx)
        case "outlineAdd":
            let title = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let dest = "outline-\(ctx.pageNumber)-\(title.hashValue & 0xffffff)"
            canvas.append(.destination(dest, x: 0, y: canvas.height))
            canvas.append(.outline(title: title, level: Int(e["level"] ?? "0") ?? 0, destination: dest,
                                   closed: RMLValue.bool(e["closed"] ?? "false") ?? false))
        case "bookmark", "bookmarkPage":
            if let name = e["name"] {
                canvas.append(.destination(name, x: try len(e, "left", 0)!, y: try len(e, "top", canvas.height)!))
            }
        case "link":
            if let v = try required(e, "x1", "y1", "x2", "y2") {
                let target: LinkTarget = e["url"].map { .uri($0) } ?? .destination(e["destination"] ?? "")
                canvas.append(.link(Rect(x: min(v[0], v[2]), y: min(v[1], v[3]), width: abs(v[2] - v[0]), height: abs(v[3] - v[1])), target))
            }
        case "pageInfo", "infoString", "textAnnotation", "doForm", "cropMarks", "log":
            break
        case "name", "namedString":
            if let id = e["id"] { ctx.names[id] = e["value"] ?? dynamicText(e) }
        case "setFontSizeLeading":
            break
        default:
            try ctx.diagnostics.warn("<\(e.name)> is not supported in page graphics and is ignored", at: loc)
        }
    }

    private func drawPath(_ e: RMLElement, on canvas: PageCanvas) throws(RMLError) {
        guard let start = try required(e, "x", "y") else { return }
        var path: [PathElement] = [.move(start[0], start[1])]
        func numbers(_ s: String) -> [Double] {
            s.split(whereSeparator: { $0.isWhitespace || $0 == "," }).compactMap { RMLValue.length(String($0)) }
        }
        var mode = "lineto"
        func consume(_ nums: [Double], _ mode: String) {
            switch mode {
            case "moveto":
                var i = 0
                while i + 1 < nums.count { path.append(.move(nums[i], nums[i + 1])); i += 2 }
            case "curveto", "curvesto":
                var i = 0
                while i + 5 < nums.count {
                    path.append(.curve(nums[i], nums[i + 1], nums[i + 2], nums[i + 3], nums[i + 4], nums[i + 5])); i += 6
                }
            default:
                var i = 0
                while i + 1 < nums.count { path.append(.line(nums[i], nums[i + 1])); i += 2 }
            }
        }
        for c in e.children {
            switch c {
            case .text(let t): consume(numbers(t), mode)
            case .element(let x):
                switch x.name {
                case "moveto", "moveTo": consume(numbers(x.text), "moveto")
                case "curveto", "curvesto", "curveTo": consume(numbers(x.text), "curveto")
                case "lineto", "lineTo": consume(numbers(x.text), "lineto")
                default: break
                }
                mode = "lineto"
            }
        }
        if try flag(e, "close", false) { path.append(.close) }
        canvas.path(path, fill: try flag(e, "fill", false), stroke: try flag(e, "stroke", true))
    }

    private func drawImage(_ e: RMLElement, on canvas: PageCanvas) throws(RMLError) {
        guard let file = e["file"] ?? e["src"] ?? e["name"] else {
            try ctx.diagnostics.warn("<image> needs a 'file'", at: e.location)
            return
        }
        guard let img = try ImageLoader.load(file, ctx, at: e.location) else { return }
        let x = try len(e, "x", 0)!, y = try len(e, "y", 0)!
        var w = try len(e, "width") ?? img.naturalWidth
        var h = try len(e, "height") ?? img.naturalHeight
        // As ReportLab's drawImage: a missing dimension keeps the image's own size (no aspect ratio).
        var rx = x, ry = y
        if try flag(e, "preserveAspectRatio", false) {
            let scale = min(w / img.naturalWidth, h / img.naturalHeight)
            let nw = img.naturalWidth * scale, nh = img.naturalHeight * scale
            // ReportLab's anchor: centred unless told otherwise.
            switch e["anchor"] ?? "c" {
            case "sw": break
            case "s": rx += (w - nw) / 2
            case "se": rx += w - nw
            case "w": ry += (h - nh) / 2
            case "e": rx += w - nw; ry += (h - nh) / 2
            case "nw": ry += h - nh
            case "n": rx += (w - nw) / 2; ry += h - nh
            case "ne": rx += w - nw; ry += h - nh
            default: rx += (w - nw) / 2; ry += (h - nh) / 2
            }
            w = nw; h = nh
        }
        canvas.append(.image(img, Rect(x: rx, y: ry, width: w, height: h)))
        if try flag(e, "showBoundary", false) {
            canvas.rect(Rect(x: x, y: y, width: try len(e, "width") ?? w, height: try len(e, "height") ?? h), fill: false, stroke: true)
        }
    }

    /// Text with leading and trailing whitespace removed and inner runs of whitespace made one space.
    static func collapsingWhitespace(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for ch in text.unicodeScalars {
            if ch.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.unicodeScalars.append(ch)
        }
        return out
    }
}
