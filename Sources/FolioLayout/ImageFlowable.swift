import FolioRML

/// A raster image in the story (`image`/`img` as a flowable).
final class ImageFlowable: Flowable {
    let source: ImageSource
    let width: Double
    let height: Double
    let align: HorizontalAlignment
    let location: SourceLocation?

    init(source: ImageSource, width: Double, height: Double, align: HorizontalAlignment, location: SourceLocation?) {
        self.source = source; self.width = width; self.height = height; self.align = align; self.location = location
    }

    var hAlign: HorizontalAlignment { align }

    static func make(_ e: RMLElement, _ ctx: LayoutContext) throws(RMLError) -> ImageFlowable? {
        guard let file = e["file"] ?? e["src"] ?? e["name"] else {
            try ctx.diagnostics.warn("<\(e.name)> needs a 'file' or 'src'", at: e.location)
            return nil
        }
        guard let img = try ImageLoader.load(file, ctx, at: e.location) else { return nil }
        let pw = img.naturalWidth, ph = img.naturalHeight
        let w = try e.length("width", diagnostics: ctx.diagnostics)
        let h = try e.length("height", diagnostics: ctx.diagnostics)
        // As z3c.rml: a missing dimension keeps the image's own size unless the aspect ratio is kept,
        // in which case the given dimensions bound the image.
        var width = w ?? pw, height = h ?? ph
        if (try e.bool("preserveAspectRatio", diagnostics: ctx.diagnostics)) == true {
            let s = min(w.map { $0 / pw } ?? .infinity, h.map { $0 / ph } ?? .infinity)
            if s.isFinite { width = pw * s; height = ph * s }
        }
        let align: HorizontalAlignment
        switch (e["align"] ?? e["hAlign"] ?? "center").lowercased() {
        case "left": align = .left
        case "right": align = .right
        default: align = .center
        }
        return ImageFlowable(source: img, width: width, height: height, align: align, location: e.location)
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: width, height: height) }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {
        canvas.append(.image(source, Rect(x: x, y: y, width: width, height: height)))
    }
}
