import FolioBarcode
import FolioRML

/// Draws barcodes (`barCode` on a canvas, `barCodeFlowable` in a story) from FolioBarcode's vector
/// drawings, with z3c.rml's attributes.
enum BarcodeDrawer {
    struct Prepared {
        var drawing: BarcodeDrawing
        var barColor: Color
        var textColor: Color
    }

    static func prepare(_ e: RMLElement, _ ctx: LayoutContext) throws(RMLError) -> Prepared? {
        let d = ctx.diagnostics
        guard let code = e["code"] else {
            try d.warn("<\(e.name)> needs a 'code' (e.g. Code128, EAN13, QR)", at: e.location)
            return nil
        }
        let value = (e["value"] ?? e.text).trimmingCharacters(in: .whitespacesAndNewlines)
        var o = BarcodeOptions()
        o.barWidth = try e.length("barWidth", diagnostics: d)
        o.barHeight = try e.length("barHeight", diagnostics: d)
        o.ratio = try e.number("ratio", diagnostics: d)
        o.quiet = try e.bool("quiet", diagnostics: d)
        o.lquiet = try e.length("lquiet", diagnostics: d)
        o.rquiet = try e.length("rquiet", diagnostics: d)
        o.humanReadable = try e.bool("humanReadable", diagnostics: d)
        o.fontSize = try e.length("fontSize", diagnostics: d)
        o.fontName = e["fontName"]
        o.checksum = try e.bool("checksum", diagnostics: d)
        o.bearers = try e.number("bearers", diagnostics: d)
        o.stop = try e.bool("stop", diagnostics: d)
        o.gap = try e.length("gap", diagnostics: d)
        o.spaceWidth = try e.length("spaceWidth", diagnostics: d)
        o.shortHeight = try e.length("shortHeight", diagnostics: d)
        o.barLevel = e["barLevel"]
        o.barBorder = try e.number("barBorder", diagnostics: d)
        o.width = try e.length("width", diagnostics: d)
        o.height = try e.length("height", diagnostics: d)
        o.isoScale = try e.bool("isoScale", diagnostics: d) ?? false
        o.routing = e["routing"]
        let drawing: BarcodeDrawing
        do throws(BarcodeError) {
            drawing = try Barcode.make(code: code, value: value, options: o)
        } catch {
            try d.warn("barcode: \(error.description)", at: e.location)
            return nil
        }
        let bar = try ctx.color(e["barFillColor"] ?? e["barStrokeColor"], at: e.location, default: .black)!
        let text = try ctx.color(e["textColor"], at: e.location, default: .black)!
        return Prepared(drawing: drawing, barColor: bar, textColor: text)
    }

    static func draw(_ p: Prepared, x: Double, y: Double, on canvas: PageCanvas, _ ctx: LayoutContext, at location: SourceLocation) {
        canvas.save()
        canvas.setFill(p.barColor)
        var path: [PathElement] = []
        path.reserveCapacity(p.drawing.bars.count * 5)
        for b in p.drawing.bars {
            path += PageCanvas.rectPath(Rect(x: x + b.x, y: y + b.y, width: b.width, height: b.height))
        }
        canvas.path(path, fill: true, stroke: false)
        canvas.setFill(p.textColor)
        for t in p.drawing.texts {
            var style = InlineStyle(face: ctx.face(t.fontName, at: location), size: t.fontSize, color: p.textColor)
            style.color = p.textColor
            let line = ctx.shaper.shapeLine(t.text, style: style)
            let width = line.width * t.horizontalScale
            var tx = x + t.x
            switch t.anchor {
            case .start: break
            case .middle: tx -= width / 2
            case .end: tx -= width
            }
            if t.horizontalScale != 1 {
                canvas.save()
                canvas.transform(AffineTransform(a: t.horizontalScale, b: 0, c: 0, d: 1, e: tx, f: y + t.y))
                canvas.draw(line, x: 0, y: 0)
                canvas.restore()
            } else {
                canvas.draw(line, x: tx, y: y + t.y)
            }
        }
        canvas.restore()
    }

    static func drawCanvas(_ e: RMLElement, on canvas: PageCanvas, _ ctx: LayoutContext) throws(RMLError) {
        guard let p = try prepare(e, ctx) else { return }
        let x = try e.length("x", diagnostics: ctx.diagnostics) ?? 0
        let y = try e.length("y", diagnostics: ctx.diagnostics) ?? 0
        draw(p, x: x, y: y, on: canvas, ctx, at: e.location)
    }

    static func flowable(_ e: RMLElement, _ ctx: LayoutContext) throws(RMLError) -> Flowable? {
        guard let p = try prepare(e, ctx) else { return nil }
        let align: HorizontalAlignment
        switch (e["alignment"] ?? "left").lowercased() {
        case "center", "centre": align = .center
        case "right": align = .right
        default: align = .left
        }
        return BarcodeFlowable(prepared: p, align: align, location: e.location)
    }
}

/// A barcode placed in the story (`barCodeFlowable`).
final class BarcodeFlowable: Flowable {
    let prepared: BarcodeDrawer.Prepared
    let align: HorizontalAlignment
    let location: SourceLocation?
    init(prepared: BarcodeDrawer.Prepared, align: HorizontalAlignment, location: SourceLocation?) {
        self.prepared = prepared; self.align = align; self.location = location
    }
    var hAlign: HorizontalAlignment { align }
    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size {
        Size(width: prepared.drawing.width, height: prepared.drawing.height)
    }
    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {
        BarcodeDrawer.draw(prepared, x: x, y: y, on: canvas, ctx, at: location ?? SourceLocation(file: "", line: 0, column: 0))
    }
}
