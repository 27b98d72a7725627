import FolioLayout

/// Breaks a paragraph into lines the way ReportLab does, from glyphs shaped once on a single line:
/// breaks only at spaces (a word longer than the line is split between characters), a line may
/// overrun by up to 5 % of its spaces' width (they are then shrunk, as ReportLab's
/// `spaceShrinkage`), justified lines stretch their spaces, and `\n` forces a break.
///
/// Works on left-to-right text; paragraphs with right-to-left runs are broken by Pango instead.
struct ReportLabLineBreaker {
    static let unknownGlyphFlag: UInt32 = 0x1000_0000
    static let emptyGlyph: UInt32 = 0x0FFF_FFFF

    /// One glyph of the single-line shaping, with the byte offset of its cluster.
    struct ShapedGlyph {
        var id: UInt32
        var width: Double
        var xOffset: Double
        var yOffset: Double
        var byte: Int
    }

    /// A run of the single-line shaping: glyphs in one font and one span style.
    struct Piece {
        var style: InlineStyle
        var font: String
        var start: Int
        var end: Int
        var glyphs: [ShapedGlyph]
    }

    static let spaceShrinkage = 0.05

    let bytes: [UInt8]
    let pieces: [Piece]
    private var cumulative: [Double]
    private var clusterStart: [Bool]

    init(bytes: [UInt8], pieces: [Piece]) {
        self.bytes = bytes
        self.pieces = pieces
        var adv = [Double](repeating: 0, count: bytes.count + 1)
        var starts = [Bool](repeating: false, count: bytes.count + 1)
        for p in pieces {
            for g in p.glyphs where g.byte < bytes.count {
                adv[g.byte] += g.width
                starts[g.byte] = true
            }
        }
        var cum = [Double](repeating: 0, count: bytes.count + 1)
        for i in 0..<bytes.count { cum[i + 1] = cum[i] + adv[i] }
        cumulative = cum
        starts[bytes.count] = true
        clusterStart = starts
    }

    private func width(_ a: Int, _ b: Int) -> Double { cumulative[b] - cumulative[a] }

    /// A line as a byte range, and whether it ends a paragraph (last line or before `\n`).
    struct LineRange { var start: Int; var end: Int; var endsParagraph: Bool }

    func breakLines(width lineWidth: Double, firstLineIndent: Double, characterWrap: Bool) -> [LineRange] {
        var lines: [LineRange] = []
        var segmentStart = 0
        let n = bytes.count
        while segmentStart <= n {
            var segmentEnd = segmentStart
            while segmentEnd < n && bytes[segmentEnd] != 0x0A { segmentEnd += 1 }
            breakSegment(segmentStart, segmentEnd, lineWidth, firstLineIndent, characterWrap, &lines)
            segmentStart = segmentEnd + 1
        }
        return lines
    }

    private func breakSegment(_ from: Int, _ to: Int, _ lineWidth: Double, _ indent: Double, _ characterWrap: Bool,
                              _ lines: inout [LineRange]) {
        func maxWidth() -> Double { lineWidth - (lines.isEmpty ? indent : 0) }
        var i = from
        var lineStart = -1
        var lineEnd = from
        var current = 0.0
        var words = 0
        var spaces = 0
        var spaceUnit = 0.0
        while i < to {
            if bytes[i] == 0x20 { i += 1; continue }
            var j = i
            if characterWrap {
                // CJK wrapping: a break may come before any non-ASCII character or ASCII punctuation,
                // so runs of Latin letters and digits stay whole and everything else is breakable.
                let isWordByte: (UInt8) -> Bool = { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                }
                // Opening quotes and brackets stay with the word they open.
                while j < to && "'\"([{".utf8.contains(bytes[j]) { j += 1 }
                if j < to && isWordByte(bytes[j]) {
                    while j < to && isWordByte(bytes[j]) { j += 1 }
                    // Trailing punctuation stays with its word (it may not start a line).
                    while j < to && bytes[j] != 0x20 && bytes[j] < 0x80 && !isWordByte(bytes[j]) && ",.;:!?)]}'\"".utf8.contains(bytes[j]) { j += 1 }
                } else if j == i {
                    j += 1
                    while j < to && !clusterStart[j] { j += 1 }
                }
            } else {
                while j < to && bytes[j] != 0x20 { j += 1 }
            }
            let ww = width(i, j)
            if lineStart < 0 {
                if ww > maxWidth() && !characterWrap {
                    // A word longer than the line: split it between characters.
                    var k = i + 1
                    while k < j && (!clusterStart[k] || width(i, k) <= maxWidth()) { k += 1 }
                    var cut = k
                    if width(i, cut) > maxWidth() {
                        cut -= 1
                        while cut > i + 1 && !clusterStart[cut] { cut -= 1 }
                    }
                    cut = max(cut, i + 1)
                    while cut < j && !clusterStart[cut] { cut += 1 }
                    lines.append(LineRange(start: i, end: cut, endsParagraph: cut >= to))
                    i = cut
                    continue
                }
                lineStart = i; lineEnd = j; current = ww; words = 1; spaces = 0
                i = j
                continue
            }
            let gap = width(lineEnd, i)
            let newWidth = current + gap + ww
            // ReportLab lets a line overrun by a share of its spaces' width (they are shrunk when drawn).
            if gap > 0 { spaceUnit = gap / Double(max(1, i - lineEnd)) }
            let spacesAfter = spaces + (gap > 0 ? 1 : 0)
            if newWidth <= maxWidth() + 1e-9 || (newWidth - maxWidth()) <= Self.spaceShrinkage * spaceUnit * Double(spacesAfter) {
                lineEnd = j; current = newWidth; words += 1; spaces = spacesAfter
                i = j
            } else {
                lines.append(LineRange(start: lineStart, end: lineEnd, endsParagraph: false))
                lineStart = -1
            }
        }
        if lineStart >= 0 {
            lines.append(LineRange(start: lineStart, end: lineEnd, endsParagraph: true))
        } else if from == to || lines.isEmpty || lines.last!.end < from {
            // An empty segment (e.g. between two <br/>) still takes a line.
            lines.append(LineRange(start: from, end: from, endsParagraph: true))
        } else {
            lines[lines.count - 1].endsParagraph = true
        }
    }

    /// Builds positioned runs for a line. `target` is the width to stretch or shrink spaces to
    /// (nil = natural width); x positions start at `x`.
    func makeLine(_ range: LineRange, x: Double, target: Double?, missing: inout Set<Character>) -> ShapedLine {
        let natural = width(range.start, range.end)
        var spaces = 0
        for b in range.start..<range.end where bytes[b] == 0x20 { spaces += 1 }
        var perSpace = 0.0
        if let target, spaces > 0 { perSpace = (target - natural) / Double(spaces) }
        var runs: [ShapedRun] = []
        var pen = x
        var maxSize = 0.0
        for p in pieces where p.end > range.start && p.start < range.end {
            let lo = max(p.start, range.start), hi = min(p.end, range.end)
            var glyphs: [Glyph] = []
            var clusters: [Int32] = []
            let runX = pen
            var gx = 0.0
            for g in p.glyphs where g.byte >= lo && g.byte < hi {
                var id = g.id
                if id & Self.unknownGlyphFlag != 0 {
                    if let scalar = Unicode.Scalar(id & ~Self.unknownGlyphFlag), !scalar.properties.isWhitespace, scalar.value >= 0x20 {
                        missing.insert(Character(scalar))
                    }
                    id = Self.emptyGlyph
                }
                glyphs.append(Glyph(id: id, x: gx + g.xOffset, y: g.yOffset))
                clusters.append(Int32(g.byte - lo))
                gx += g.width
                if bytes[g.byte] == 0x20 { gx += perSpace }
            }
            if glyphs.isEmpty { continue }
            let text = String(decoding: bytes[lo..<hi], as: UTF8.self)
            runs.append(ShapedRun(x: runX, width: gx, style: p.style,
                                  glyphs: GlyphRun(font: p.font, size: p.style.size, glyphs: glyphs, text: text,
                                                   clusters: clusters, rightToLeft: false)))
            pen += gx
            maxSize = max(maxSize, p.style.size)
        }
        return ShapedLine(runs: runs, x: x, width: pen - x, maxFontSize: maxSize, byteRange: range.start..<range.end)
    }

    /// The natural width of a line range.
    func naturalWidth(_ range: LineRange) -> Double { width(range.start, range.end) }
}
