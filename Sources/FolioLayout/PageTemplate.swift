import FolioRML

/// A frame of a page template: the rectangle story content flows into.
public struct FrameSpec: Sendable {
    public var id: String
    public var x: Double, y: Double, width: Double, height: Double
    public var leftPadding = 0.0, rightPadding = 0.0, topPadding = 0.0, bottomPadding = 0.0
    public var showBoundary = false
    public var location: SourceLocation?
}

/// A page template: page size, frames, and the graphics drawn on every page that uses it.
public struct PageTemplate: Sendable {
    public var id: String
    public var pageSize: Size
    public var frames: [FrameSpec]
    /// `<pageGraphics>` elements, drawn before the story content of each page.
    public var graphics: [RMLElement]
    public var autoNextTemplate: String?
    public var location: SourceLocation?
}

/// Reads `<template>` into page templates.
enum TemplateReader {
    static let a4 = Size(width: 595.2755905511812, height: 841.8897637795277)

    static func pageSize(_ e: RMLElement, _ ctx: LayoutContext, default def: Size) throws(RMLError) -> Size {
        guard let raw = e["pagesize"] ?? e["pageSize"] else { return def }
        let named: [String: Size] = [
            "a4": a4, "a3": Size(width: 841.8897637795277, height: 1190.551181102362),
            "a5": Size(width: 419.52755905511816, height: 595.2755905511812),
            "letter": Size(width: 612, height: 792), "legal": Size(width: 612, height: 1008),
        ]
        let key = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let s = named[key] { return s }
        for (suffix, landscape) in [(" landscape", true), (" portrait", false)] where key.hasSuffix(suffix) {
            if let s = named[String(key.dropLast(suffix.count))] {
                return landscape ? Size(width: max(s.width, s.height), height: min(s.width, s.height)) : s
            }
        }
        let parts = RMLValue.list(raw).compactMap(RMLValue.length)
        if parts.count == 2, parts[0] > 0, parts[1] > 0 { return Size(width: parts[0], height: parts[1]) }
        try ctx.diagnostics.warn("page size '\(raw)' is not understood, A4 used", at: e.location)
        return def
    }

    static func read(_ template: RMLElement, _ ctx: LayoutContext) throws(RMLError) -> (templates: [PageTemplate], first: String?) {
        let docSize = try pageSize(template, ctx, default: a4)
        let showAll = try template.bool("showBoundary", diagnostics: ctx.diagnostics) ?? false
        var out: [PageTemplate] = []
        for pt in template.elements(named: "pageTemplate") {
            let size = try pageSize(pt, ctx, default: docSize)
            var frames: [FrameSpec] = []
            for f in pt.elements(named: "frame") {
                func len(_ n: String) throws(RMLError) -> Double? { try f.length(n, diagnostics: ctx.diagnostics) }
                guard let x = try len("x1"), let y = try len("y1"), let w = try len("width"), let h = try len("height") else {
                    try ctx.diagnostics.warn("<frame> needs x1, y1, width and height; frame ignored", at: f.location)
                    continue
                }
                var spec = FrameSpec(id: f["id"] ?? "frame\(frames.count + 1)", x: x, y: y, width: w, height: h)
                let pad = ctx.dialect.defaultFramePadding
                (spec.leftPadding, spec.rightPadding, spec.topPadding, spec.bottomPadding) = (pad, pad, pad, pad)
                if let v = try len("leftPadding") { spec.leftPadding = v }
                if let v = try len("rightPadding") { spec.rightPadding = v }
                if let v = try len("topPadding") { spec.topPadding = v }
                if let v = try len("bottomPadding") { spec.bottomPadding = v }
                let templateBoundary = try pt.bool("showBoundary", diagnostics: ctx.diagnostics) ?? showAll
                spec.showBoundary = try f.bool("showBoundary", diagnostics: ctx.diagnostics) ?? templateBoundary
                spec.location = f.location
                frames.append(spec)
            }
            if frames.isEmpty {
                // ReportLab's default: the page minus 1 inch margins.
                frames.append(FrameSpec(id: "default", x: 72, y: 72, width: size.width - 144, height: size.height - 144))
            }
            var graphics = pt.elements(named: "pageGraphics")
            // OpenERP's <header>/<footer> hold graphics too.
            graphics += pt.elements(named: "header") + pt.elements(named: "footer")
            out.append(PageTemplate(id: pt["id"] ?? "template\(out.count + 1)", pageSize: size, frames: frames,
                                    graphics: graphics, autoNextTemplate: pt["autoNextTemplate"] ?? pt["autoNextPageTemplate"],
                                    location: pt.location))
        }
        if out.isEmpty {
            let margin = 72.0
            out.append(PageTemplate(id: "main", pageSize: docSize,
                                    frames: [FrameSpec(id: "main", x: margin, y: margin, width: docSize.width - 2 * margin,
                                                       height: docSize.height - 2 * margin)],
                                    graphics: [], autoNextTemplate: nil, location: template.location))
        }
        return (out, template["firstPageTemplate"])
    }
}
