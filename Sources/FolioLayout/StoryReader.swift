import FolioRML

/// Turns `<story>` content into flowables.
struct StoryReader {
    let ctx: LayoutContext

    func flowables(_ container: RMLElement) throws(RMLError) -> [Flowable] {
        var out: [Flowable] = []
        for node in container.children {
            switch node {
            case .text(let t):
                if !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try ctx.diagnostics.warn("text outside any element in <\(container.name)> is ignored", at: container.location)
                }
            case .element(let e):
                out += try flowables(for: e)
            }
        }
        return Self.applyKeepWithNext(out)
    }

    /// Chains flowables marked keep-with-next to the one that follows them.
    static func applyKeepWithNext(_ list: [Flowable]) -> [Flowable] {
        guard list.contains(where: { $0.keepWithNext }) else { return list }
        var out: [Flowable] = []
        var pending: [Flowable] = []
        for f in list {
            pending.append(f)
            if f.keepWithNext && !(f is ActionFlowable) { continue }
            if pending.count > 1 { out.append(KeepTogether(pending, location: pending[0].location)) } else { out += pending }
            pending = []
        }
        out += pending
        return out
    }

    func paragraphStyle(for e: RMLElement, defaultName: String) throws(RMLError) -> ParagraphStyle {
        var style = try ctx.style(e["style"] ?? defaultName, at: e.location)
        // Style attributes written on the element itself override the named style.
        try style.apply(e, diagnostics: ctx.diagnostics, colors: ctx.colors)
        return style
    }

    func flowables(for e: RMLElement) throws(RMLError) -> [Flowable] {
        let loc = e.location
        switch e.name {
        case "para", "p":
            return [Paragraph(element: e, style: try paragraphStyle(for: e, defaultName: "Normal"))]
        case "title":
            return [Paragraph(element: e, style: try paragraphStyle(for: e, defaultName: "Title"))]
        case "h1", "h2", "h3", "h4", "h5", "h6":
            return [Paragraph(element: e, style: try paragraphStyle(for: e, defaultName: "Heading" + String(e.name.dropFirst())))]
        case "pre", "xpre":
            var style = try paragraphStyle(for: e, defaultName: e.name == "pre" ? "Code" : "Normal")
            if e.name == "pre" && !e.has("style") && !e.has("fontName") { style.fontName = "Courier" }
            let p = Paragraph(element: e.name == "pre" ? Self.dedented(e) : Self.trimmedBlankLines(e), style: style)
            p.preserveWhitespace = true
            return [p]
        case "spacer":
            let alt = try e.length("height", diagnostics: ctx.diagnostics)
            let h = try e.length("length", diagnostics: ctx.diagnostics) ?? alt ?? 0
            return [Spacer(width: try e.length("width", diagnostics: ctx.diagnostics) ?? 1, height: h, location: loc)]
        case "nextFrame", "frameEnd":
            return [ActionFlowable(.nextFrame(e["name"]), location: loc)]
        case "nextPage", "pageBreak":
            return [ActionFlowable(.nextPage, location: loc)]
        case "setNextTemplate":
            guard let name = e["name"] else { return [] }
            return [ActionFlowable(.setNextTemplate(name), location: loc)]
        case "setNextFrame":
            guard let name = e["name"] else { return [] }
            return [ActionFlowable(.setNextFrame(name), location: loc)]
        case "currentFrame":
            guard let name = e["name"] else { return [] }
            return [ActionFlowable(.currentFrame(name), location: loc)]
        case "condPageBreak", "condFrameBreak":
            let h = try e.length("height", diagnostics: ctx.diagnostics) ?? 0
            return [ActionFlowable(.conditionalBreak(h), location: loc)]
        case "keepTogether":
            let inner = try flowables(e)
            let maxHeight = try e.length("maxHeight", diagnostics: ctx.diagnostics)
            return [KeepTogether(inner, location: loc, maxHeight: maxHeight)]
        case "section", "story":
            return try flowables(e)
        case "blockTable", "table":
            return [try TableReader(ctx: ctx, story: self).table(e)]
        case "hr":
            return [try HorizontalRule(e, ctx)]
        case "illustration":
            let w = try e.length("width", diagnostics: ctx.diagnostics) ?? 0
            let h = try e.length("height", diagnostics: ctx.diagnostics) ?? 0
            return [Illustration(element: e, width: w, height: h)]
        case "image", "img":
            return try ImageFlowable.make(e, ctx).map { [$0] } ?? []
        case "barCodeFlowable":
            return try BarcodeDrawer.flowable(e, ctx).map { [$0] } ?? []
        case "indent":
            let left = try e.length("left", diagnostics: ctx.diagnostics) ?? 0
            let right = try e.length("right", diagnostics: ctx.diagnostics) ?? 0
            return [Indented(try flowables(e), left: left, right: right, location: loc)]
        case "fixedSize":
            let w = try e.length("width", diagnostics: ctx.diagnostics) ?? 0
            let h = try e.length("height", diagnostics: ctx.diagnostics) ?? 0
            return [KeepInFrame(try flowables(e), maxWidth: w, maxHeight: h, mode: "truncate", fixed: true, location: loc)]
        case "keepInFrame":
            let w = try e.length("maxWidth", diagnostics: ctx.diagnostics) ?? 0
            let h = try e.length("maxHeight", diagnostics: ctx.diagnostics) ?? 0
            return [KeepInFrame(try flowables(e), maxWidth: w, maxHeight: h, mode: e["onOverflow"] ?? "shrink", fixed: false, location: loc)]
        case "storyPlace":
            let v = [try e.length("x", diagnostics: ctx.diagnostics), try e.length("y", diagnostics: ctx.diagnostics),
                     try e.length("width", diagnostics: ctx.diagnostics), try e.length("height", diagnostics: ctx.diagnostics)]
            guard let x = v[0], let y = v[1], let w = v[2], let h = v[3] else {
                try ctx.diagnostics.warn("<storyPlace> needs x, y, width and height", at: loc)
                return []
            }
            return [PlacedStory(element: e, rect: Rect(x: x, y: y, width: w, height: h), origin: e["origin"] ?? "page")]
        case "ul", "ol", "dl":
            return try ListReader(ctx: ctx, story: self).list(e)
        case "pto":
            return try PTOReader(ctx: ctx, story: self).make(e)
        case "namedString", "name":
            guard let id = e["id"] else { return [] }
            return [MarkerFlowable(location: loc) { _, _, _, ctx in
                ctx.names[id] = e["value"] ?? CanvasGraphics(ctx: ctx).dynamicText(e)
            }]
        case "outlineAdd":
            let title = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let level = Int(e["level"] ?? "0") ?? 0
            let closed = RMLValue.bool(e["closed"] ?? "false") ?? false
            let key = e["key"]
            return [MarkerFlowable(location: loc) { canvas, x, y, ctx in
                let dest = key ?? "outline-\(loc.line)-\(loc.column)"
                canvas.append(.destination(dest, x: x, y: y))
                canvas.append(.outline(title: title, level: level, destination: dest, closed: closed))
            }]
        case "link":
            return try LinkFlowable.make(e, ctx, story: self)
        case "bookmark", "bookmarkPage":
            guard let name = e["name"] else { return [] }
            return [MarkerFlowable(location: loc) { canvas, x, y, _ in
                canvas.append(.destination(name, x: x, y: y))
            }]
        case "pageNumberReset":
            return [MarkerFlowable(location: loc) { _, _, _, ctx in ctx.pageNumber = 0 }]
        case "imageAndFlowables":
            return try ImageAndFlowables.make(e, ctx, story: self)
        case "blockNosplit":
            return [KeepTogether(try flowables(e), location: loc)]
        case "spanStyle", "codesnippet", "includePdfPages", "plugInFlowable", "docAssign", "docExec", "docPara", "docIf",
             "docWhile", "showIndex", "log", "alias":
            try ctx.diagnostics.warn("<\(e.name)> is not supported and is ignored", at: loc)
            return []
        default:
            // Unknown vocabulary was already reported by the parser; this is known RML in the wrong place.
            if RMLSchema.isKnownElement(e.name) {
                try ctx.diagnostics.warn("<\(e.name)> is not a story element and is ignored", at: loc)
            }
            return []
        }
    }

    /// `xpre` content with its first and last blank lines removed; markup and indentation stay.
    static func trimmedBlankLines(_ e: RMLElement) -> RMLElement {
        var copy = e
        if case .text(var t)? = copy.children.first {
            if let nl = t.firstIndex(of: "\n"), t[..<nl].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                t = String(t[t.index(after: nl)...])
            }
            copy.children[0] = .text(t)
        }
        if case .text(var t)? = copy.children.last {
            while let last = t.last, last == " " || last == "\t" || last == "\n" || last == "\r" { t.removeLast() }
            copy.children[copy.children.count - 1] = .text(t)
        }
        return copy
    }

    /// `pre` content as source text (child markup is shown, not interpreted), with the common
    /// leading and trailing blank lines removed.
    static func dedented(_ e: RMLElement) -> RMLElement {
        var copy = e
        copy.children = [.text(dedent(e.children.map(\.sourceText).joined()))]
        return copy
    }

    static func dedent(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\t", with: "        ").components(separatedBy: "\n")
        while let f = lines.first, f.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        while let l = lines.last, l.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        // z3c.rml keeps the indentation as written (ReportLab's Preformatted with dedent=0).
        return lines.joined(separator: "\n")
    }

}
