// Internal drawing model shared by all symbologies, plus ReportLab's generic linear-barcode
// layout (reportlab/graphics/barcode/common.py: Barcode and MultiWidthBarcode).

let inch = 72.0
let mm = 72.0 / 25.4

/// Shapes in ReportLab's widget coordinates, before `createBarcodeDrawing` normalises them.
struct Scene {
    /// The invisible frame rectangle every ReportLab barcode widget adds to its group.
    var frame: BarcodeRect
    var bars: [BarcodeRect] = []
    var texts: [BarcodeText] = []

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        bars.append(BarcodeRect(x: x, y: y, width: w, height: h))
    }

    mutating func text(_ x: Double, _ y: Double, _ s: String, fontName: String, fontSize: Double,
                       anchor: BarcodeText.Anchor) {
        texts.append(BarcodeText(x: x, y: y, text: s, fontSize: fontSize, anchor: anchor,
                                 fontName: fontName))
    }

    /// Bounding box as ReportLab's `Group.getBounds()` computes it.
    func bounds() -> (x1: Double, y1: Double, x2: Double, y2: Double) {
        var x1 = frame.x, y1 = frame.y, x2 = frame.x + frame.width, y2 = frame.y + frame.height
        for r in bars {
            x1 = min(x1, r.x); y1 = min(y1, r.y)
            x2 = max(x2, r.x + r.width); y2 = max(y2, r.y + r.height)
        }
        for t in texts {
            let w = FontMetrics.stringWidth(t.text, fontName: t.fontName, fontSize: t.fontSize)
            var left = t.x
            switch t.anchor {
            case .start: break
            case .middle: left -= w / 2
            case .end: left -= w
            }
            x1 = min(x1, left); x2 = max(x2, left + w)
            y1 = min(y1, t.y - 0.2 * t.fontSize); y2 = max(y2, t.y + t.fontSize)
        }
        return (x1, y1, x2, y2)
    }

    /// Mirrors `createBarcodeDrawing`: translate the bounds to the origin, then scale to the
    /// requested width/height (optionally keeping the aspect ratio).
    func finish(options: BarcodeOptions) -> BarcodeDrawing {
        let b = bounds()
        let w = b.x2 - b.x1, h = b.y2 - b.y1
        var sx = 1.0, sy = 1.0
        if options.width != nil || options.height != nil {
            if let tw = options.width, w > 0, tw != 0 { sx = tw / w }
            if let th = options.height, h > 0, th != 0 { sy = th / h }
            if options.isoScale {
                if sx < 1 && sy < 1 { sx = max(sx, sy); sy = sx } else { sx = min(sx, sy); sy = sx }
            }
        }
        let outBars = bars.compactMap { r -> BarcodeRect? in
            guard r.width > 0, r.height > 0 else { return nil }
            return BarcodeRect(x: (r.x - b.x1) * sx, y: (r.y - b.y1) * sy,
                               width: r.width * sx, height: r.height * sy)
        }
        let outTexts = texts.map { t in
            BarcodeText(x: (t.x - b.x1) * sx, y: (t.y - b.y1) * sy, text: t.text,
                        fontSize: t.fontSize * sy, anchor: t.anchor, fontName: t.fontName,
                        horizontalScale: sy != 0 ? sx / sy : 1)
        }
        return BarcodeDrawing(width: w * sx, height: h * sy, bars: outBars, texts: outTexts)
    }
}

/// Resolved parameters of ReportLab's `Barcode` base class.
struct LinearParams {
    var barWidth: Double
    var ratio: Double = 2.2
    var gap: Double?
    var barHeight: Double?
    var bearers: Double = 0
    var quiet: Bool
    var lquiet: Double
    var rquiet: Double
    var humanReadable: Bool
    var fontName: String
    var fontSize: Double

    /// Reads the options common to all `common.Barcode` subclasses.
    ///
    /// `quietDefault` is the default quiet-zone width. With `independentQuiet` (Code 128) the
    /// two sides default separately; otherwise, as in ReportLab, an unset `lquiet` resets both.
    init(options o: BarcodeOptions, barWidth: Double, ratio: Double = 2.2, bearers: Double = 0,
         quietDefault: (Double) -> Double, independentQuiet: Bool = false, quiet: Bool = true,
         fontName: String = "Courier", fontSize: Double = 12) {
        self.barWidth = o.barWidth ?? barWidth
        self.ratio = o.ratio ?? ratio
        self.gap = o.gap
        self.barHeight = o.barHeight
        self.bearers = max(0, o.bearers ?? bearers)
        self.quiet = o.quiet ?? quiet
        let dq = quietDefault(self.barWidth)
        if self.quiet {
            if independentQuiet {
                lquiet = o.lquiet ?? dq
                rquiet = o.rquiet ?? dq
            } else if o.lquiet == nil {
                lquiet = dq; rquiet = dq
            } else {
                lquiet = o.lquiet ?? dq; rquiet = o.rquiet ?? dq
            }
        } else {
            lquiet = 0; rquiet = 0
        }
        self.humanReadable = o.humanReadable ?? false
        self.fontName = o.fontName ?? fontName
        self.fontSize = o.fontSize ?? fontSize
    }
}

enum Linear {
    /// `Barcode.drawHumanReadable`: centred under the bars, shrunk to fit.
    static func humanReadable(_ scene: inout Scene, text: String, p: LinearParams, totalWidth: Double) {
        guard p.humanReadable else { return }
        var fontSize = p.fontSize
        let w = FontMetrics.stringWidth(text, fontName: p.fontName, fontSize: fontSize)
        var width = totalWidth
        let x: Double
        if p.quiet {
            width -= p.lquiet + p.rquiet
            x = p.lquiet
        } else {
            x = 0
        }
        if w > width, w > 0 { fontSize *= width / w }
        let y = 1.07 * FontMetrics.ascent(p.fontName) * fontSize / 1000
        scene.text(x + width / 2, -y, text, fontName: p.fontName, fontSize: fontSize, anchor: .middle)
    }

    /// `Barcode.computeSize` + `Barcode.draw` for patterns over b/s (narrow), B/S (wide), i (gap).
    static func discrete(_ decomposed: String, p: LinearParams, humanText: String) -> Scene {
        let bw = p.barWidth, wx = bw * p.ratio, gap = p.gap ?? bw
        var w = 0.0
        for c in decomposed.utf8 {
            switch c {
            case UInt8(ascii: "b"), UInt8(ascii: "s"): w += bw
            case UInt8(ascii: "B"), UInt8(ascii: "S"): w += wx
            default: w += gap
            }
        }
        var barHeight: Double
        if let h = p.barHeight {
            barHeight = h
        } else {
            barHeight = max(0.25 * inch, w * 0.15)
            if p.bearers != 0 { barHeight += p.bearers * 2 * bw }
        }
        let totalWidth = w + (p.quiet ? p.lquiet + p.rquiet : 0)
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: totalWidth, height: barHeight))
        var left = p.quiet ? p.lquiet : 0
        let b = p.bearers * bw, bb = b * 0.5, tb = barHeight - b * 1.5
        for c in decomposed.utf8 {
            switch c {
            case UInt8(ascii: "i"): left += gap
            case UInt8(ascii: "s"): left += bw
            case UInt8(ascii: "S"): left += wx
            case UInt8(ascii: "b"): scene.rect(left, bb, bw, tb); left += bw
            case UInt8(ascii: "B"): scene.rect(left, bb, wx, tb); left += wx
            default: break
            }
        }
        if p.bearers != 0 {
            let span = totalWidth - (p.lquiet + p.rquiet)
            scene.rect(p.lquiet, 0, span, b)
            scene.rect(p.lquiet, barHeight - b, span, b)
        }
        humanReadable(&scene, text: humanText, p: p, totalWidth: totalWidth)
        return scene
    }

    /// `MultiWidthBarcode`: upper-case letter = bar of (letter index) modules, lower-case = space.
    static func multiWidth(_ decomposed: String, p: LinearParams, humanText: String) -> Scene {
        let bw = p.barWidth
        var w = 0.0
        for c in decomposed.utf8 {
            if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
                w += bw * Double(c - UInt8(ascii: "a") + 1)
            } else if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") {
                w += bw * Double(c - UInt8(ascii: "A") + 1)
            }
        }
        let barHeight = p.barHeight ?? max(0.25 * inch, w * 0.15)
        let totalWidth = w + (p.quiet ? p.lquiet + p.rquiet : 0)
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: totalWidth, height: barHeight))
        var left = p.quiet ? p.lquiet : 0
        for c in decomposed.utf8 {
            if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
                left += Double(c - UInt8(ascii: "a") + 1) * bw
            } else if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") {
                let bwid = Double(c - UInt8(ascii: "A") + 1) * bw
                scene.rect(left, 0, bwid, barHeight)
                left += bwid
            }
        }
        humanReadable(&scene, text: humanText, p: p, totalWidth: totalWidth)
        return scene
    }
}

/// Metrics of the standard PDF fonts ReportLab uses for human-readable text (AFM widths in
/// 1/1000 em for ASCII 32...126, ascents from reportlab/pdfbase/_fontdata.py).
enum FontMetrics {
    private static let helvetica: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ]
    private static let helveticaBold: [Int] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]
    private static let timesRoman: [Int] = [
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
        500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
        921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
        556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
        333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
        500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
    ]
    private static let timesBold: [Int] = [
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
        500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
        930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
        611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
        333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
        556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
    ]

    /// Width of `text` in points.
    static func stringWidth(_ text: String, fontName: String, fontSize: Double) -> Double {
        let name = fontName.lowercased()
        let table: [Int]?
        let fallback: Int
        if name.hasPrefix("courier") {
            table = nil; fallback = 600
        } else if name.hasPrefix("helvetica") {
            table = name.contains("bold") ? helveticaBold : helvetica; fallback = 556
        } else if name.hasPrefix("times") {
            table = name.contains("bold") ? timesBold : timesRoman; fallback = 500
        } else {
            table = helvetica; fallback = 556
        }
        var units = 0
        for s in text.unicodeScalars {
            let v = Int(s.value)
            if v < 32 || v == 127 { continue }
            if let table, v >= 32, v <= 126 { units += table[v - 32] } else { units += fallback }
        }
        return Double(units) * fontSize / 1000
    }

    /// Ascent in 1/1000 em (`pdfmetrics.getAscent`).
    static func ascent(_ fontName: String) -> Double {
        switch fontName {
        case "Courier", "Courier-Oblique": return 629
        case "Courier-Bold", "Courier-BoldOblique": return 626
        case "Times-Roman", "Times-Italic": return 683
        case "Times-Bold": return 676
        case "Times-BoldItalic": return 699
        default: return 718
        }
    }
}
