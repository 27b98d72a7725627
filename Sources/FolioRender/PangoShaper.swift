import CCairo
import FolioLayout
import FolioRML
import Foundation

/// `TextShaper` implemented with Pango: line breaking, bidi, shaping and per-glyph font fallback.
///
/// Measures unhinted at 72 dpi with kerning and ligatures off and unrounded positions, so line breaks
/// match ReportLab's width arithmetic on the metric-compatible Liberation fonts.
public final class PangoShaper: TextShaper {
    public let fonts: FontEnvironment
    private let layout: OpaquePointer
    private var registered: [String: FontFace] = [:]
    private var missing = Set<Character>()
    private var describedFonts: [UnsafeMutableRawPointer: String] = [:]

    /// Standard-14 names mapped to the bundled metric-compatible faces.
    static let standardFaces: [String: FontFace] = {
        var m: [String: FontFace] = [:]
        for (prefix, family) in [("Helvetica", "Liberation Sans"), ("Courier", "Liberation Mono")] {
            m[prefix] = FontFace(family: family)
            m[prefix + "-Bold"] = FontFace(family: family, bold: true)
            m[prefix + "-Oblique"] = FontFace(family: family, italic: true)
            m[prefix + "-BoldOblique"] = FontFace(family: family, bold: true, italic: true)
        }
        m["Times-Roman"] = FontFace(family: "Liberation Serif")
        m["Times"] = FontFace(family: "Liberation Serif")
        m["Times-Bold"] = FontFace(family: "Liberation Serif", bold: true)
        m["Times-Italic"] = FontFace(family: "Liberation Serif", italic: true)
        m["Times-BoldItalic"] = FontFace(family: "Liberation Serif", bold: true, italic: true)
        m["Symbol"] = FontFace(family: "Standard Symbols PS")
        m["ZapfDingbats"] = FontFace(family: "D050000L")
        return m
    }()

    public init(fonts: FontEnvironment) {
        self.fonts = fonts
        self.layout = pango_layout_new(fonts.context)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
    }

    public func face(forFontName name: String) -> FontFace? {
        if let f = registered[name] ?? Self.standardFaces[name] { return f }
        let lower = name.lowercased()
        if let (_, f) = Self.standardFaces.first(where: { $0.key.lowercased() == lower }) { return f }
        if fonts.families.contains(lower) { return FontFace(family: name) }
        // "Family-Bold", "Family Bold Italic" spellings of bundled families.
        for (suffix, bold, italic) in [("-BoldItalic", true, true), ("-BoldOblique", true, true), (" Bold Italic", true, true),
                                       ("-Bold", true, false), (" Bold", true, false), ("-Italic", false, true),
                                       ("-Oblique", false, true), (" Italic", false, true), (" Oblique", false, true)]
        where lower.hasSuffix(suffix.lowercased()) {
            let base = String(name.dropLast(suffix.count))
            if fonts.families.contains(base.lowercased()) { return FontFace(family: base, bold: bold, italic: italic) }
        }
        return nil
    }

    public func registerFont(name: String, path: String) throws(FontError) -> FontFace {
        let face = try fonts.addFontFile(path)
        registered[name] = face
        describedFonts.removeAll()
        return face
    }

    public func takeMissingCharacters() -> Set<Character> {
        defer { missing.removeAll() }
        return missing
    }

    public func shapeLine(_ text: String, style: InlineStyle) -> ShapedLine {
        var s = StyledText()
        s.append(text, style)
        var p = ParagraphShape(text: s, width: 0)
        p.wrap = false
        return shape(p).first ?? ShapedLine(runs: [], x: 0, width: 0, maxFontSize: style.size)
    }

    public func shape(_ p: ParagraphShape) -> [ShapedLine] {
        let text = p.text.text
        let bytes = Array(text.utf8)
        pango_layout_set_text(layout, text, Int32(bytes.count))
        let attrs = pango_attr_list_new()!
        for span in p.text.spans {
            let desc = fonts.description(span.style.face, size: span.style.size)
            let fontAttr = pango_attr_font_desc_new(desc)!
            pango_font_description_free(desc)
            add(fontAttr, span.range, to: attrs)
            // A distinct foreground per span makes Pango split runs at every span boundary.
            let c = span.style.color
            add(pango_attr_foreground_new(channel(c.red), channel(c.green), channel(c.blue))!, span.range, to: attrs)
            if let img = span.style.image {
                // The placeholder character takes the image's width in the line.
                var rect = PangoRectangle(x: 0, y: -pangoUnits(img.height + img.rise), width: pangoUnits(img.width),
                                          height: pangoUnits(img.height))
                add(pango_attr_shape_new(&rect, &rect)!, span.range, to: attrs)
            }
            if span.style.rise != 0 || span.style.underline || span.style.strike || span.style.link != nil {
                add(pango_attr_rise_new(pangoUnits(span.style.rise))!, span.range, to: attrs)
                add(pango_attr_underline_new(span.style.underline ? PANGO_UNDERLINE_SINGLE : PANGO_UNDERLINE_NONE)!, span.range, to: attrs)
                add(pango_attr_strikethrough_new(span.style.strike ? 1 : 0)!, span.range, to: attrs)
            }
        }
        let features = pango_attr_font_features_new("kern 0, liga 0, clig 0, dlig 0")!
        add(features, 0..<bytes.count, to: attrs)
        // ReportLab never hyphenates when it breaks inside a word.
        add(pango_attr_insert_hyphens_new(0)!, 0..<bytes.count, to: attrs)
        pango_layout_set_attributes(layout, attrs)
        pango_layout_set_indent(layout, 0)
        pango_layout_set_justify(layout, 0)
        pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        pango_layout_set_auto_dir(layout, 0)
        if p.wrap {
            // Shape once on a single line; break as ReportLab does when the text is left to right.
            pango_layout_set_width(layout, -1)
            if let lines = breakLikeReportLab(p, bytes) {
                pango_attr_list_unref(attrs)
                return lines
            }
            forbidBreaksInsideWords(bytes, attrs)
            pango_layout_set_attributes(layout, attrs)
        }
        pango_attr_list_unref(attrs)
        if p.wrap {
            pango_layout_set_width(layout, pangoUnits(max(p.width, 1)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        } else {
            pango_layout_set_width(layout, -1)
        }
        pango_layout_set_indent(layout, pangoUnits(p.firstLineIndent))
        pango_layout_set_justify(layout, p.alignment == .justify ? 1 : 0)
        switch p.alignment {
        case .left, .justify: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_auto_dir(layout, 0)

        var lines: [ShapedLine] = []
        guard let iter = pango_layout_get_iter(layout) else { return [] }
        defer { pango_layout_iter_free(iter) }
        var currentLine: UnsafeMutablePointer<PangoLayoutLine>? = nil
        var spanIndex = 0
        while true {
            let line = pango_layout_iter_get_line_readonly(iter)
            if line != currentLine || lines.isEmpty {
                currentLine = line
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iter, nil, &logical)
                lines.append(ShapedLine(runs: [], x: Double(logical.x) / Double(PANGO_SCALE),
                                        width: Double(logical.width) / Double(PANGO_SCALE), maxFontSize: 0))
            }
            if let run = pango_layout_iter_get_run_readonly(iter) {
                var logical = PangoRectangle()
                pango_layout_iter_get_run_extents(iter, nil, &logical)
                let item = run.pointee.item!.pointee
                let offset = Int(item.offset)
                while spanIndex > 0 && p.text.spans[spanIndex].range.lowerBound > offset { spanIndex -= 1 }
                while spanIndex + 1 < p.text.spans.count && p.text.spans[spanIndex].range.upperBound <= offset { spanIndex += 1 }
                if !p.text.spans.isEmpty {
                    let style = p.text.spans[min(spanIndex, p.text.spans.count - 1)].style
                    let glyphRun = makeGlyphRun(run.pointee, bytes: bytes, size: style.size)
                    let shaped = ShapedRun(x: Double(logical.x) / Double(PANGO_SCALE),
                                           width: Double(logical.width) / Double(PANGO_SCALE),
                                           style: style, glyphs: glyphRun)
                    lines[lines.count - 1].runs.append(shaped)
                    lines[lines.count - 1].maxFontSize = max(lines[lines.count - 1].maxFontSize, style.size)
                }
            }
            if pango_layout_iter_next_run(iter) == 0 { break }
        }
        return lines
    }

    /// Breaks the current single-line layout into lines with ReportLab's rules; nil when the
    /// paragraph has right-to-left runs (Pango's bidi-aware breaking is used then).
    private func breakLikeReportLab(_ p: ParagraphShape, _ bytes: [UInt8]) -> [ShapedLine]? {
        guard let iter = pango_layout_get_iter(layout) else { return [] }
        defer { pango_layout_iter_free(iter) }
        var pieces: [ReportLabLineBreaker.Piece] = []
        var spanIndex = 0
        let scale = Double(PANGO_SCALE)
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iter) else { continue }
            let item = run.pointee.item!.pointee
            if item.analysis.level % 2 == 1 { return nil }
            let offset = Int(item.offset)
            while spanIndex > 0 && p.text.spans[spanIndex].range.lowerBound > offset { spanIndex -= 1 }
            while spanIndex + 1 < p.text.spans.count && p.text.spans[spanIndex].range.upperBound <= offset { spanIndex += 1 }
            guard !p.text.spans.isEmpty else { continue }
            let style = p.text.spans[min(spanIndex, p.text.spans.count - 1)].style
            let gs = run.pointee.glyphs!.pointee
            var glyphs: [ReportLabLineBreaker.ShapedGlyph] = []
            glyphs.reserveCapacity(Int(gs.num_glyphs))
            for i in 0..<Int(gs.num_glyphs) {
                let info = gs.glyphs[i]
                glyphs.append(.init(id: info.glyph, width: Double(info.geometry.width) / scale,
                                    xOffset: Double(info.geometry.x_offset) / scale,
                                    yOffset: -Double(info.geometry.y_offset) / scale,
                                    byte: offset + Int(gs.log_clusters[i])))
            }
            pieces.append(.init(style: style, font: describe(item.analysis.font), start: offset,
                                end: offset + Int(item.length), glyphs: glyphs))
        } while pango_layout_iter_next_run(iter) != 0
        let breaker = ReportLabLineBreaker(bytes: bytes, pieces: pieces)
        let ranges = breaker.breakLines(width: p.width, firstLineIndent: p.firstLineIndent, characterWrap: p.characterWrap)
        var lines: [ShapedLine] = []
        lines.reserveCapacity(ranges.count)
        for (i, r) in ranges.enumerated() {
            let indent = i == 0 ? p.firstLineIndent : 0
            let available = p.width - indent
            let natural = breaker.naturalWidth(r)
            var target: Double? = natural > available ? available : nil
            if p.alignment == .justify && !r.endsParagraph { target = available }
            let width = target ?? natural
            var x = indent
            switch p.alignment {
            case .center: x += (available - width) / 2
            case .right: x += available - width
            case .left, .justify: break
            }
            lines.append(breaker.makeLine(r, x: x, target: target, missing: &missing))
        }
        return lines
    }

    /// ReportLab breaks lines at spaces only (not after '/' or '-' as Unicode line breaking allows):
    /// forbid breaks inside every word that has such an opportunity. Scripts written without spaces
    /// (CJK, Thai) keep Pango's rules.
    private func forbidBreaksInsideWords(_ bytes: [UInt8], _ attrs: OpaquePointer) {
        var start = -1
        var risky = false
        func close(_ end: Int) {
            if start >= 0 && risky && end - start > 1 {
                add(pango_attr_allow_breaks_new(0)!, start..<end, to: attrs)
            }
            start = -1
            risky = false
        }
        for (i, b) in bytes.enumerated() {
            switch b {
            case 0x20, 0x0A, 0x09:
                close(i)
            default:
                if start < 0 { start = i }
                // Punctuation after which UAX #14 may break inside a Latin word.
                if b == 0x2D || b == 0x2F || b == 0x3F || b == 0x21 || b == 0x7D || b == 0x29 || b == 0x5D || b == 0x25 || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x2B { risky = true }
                // Non-ASCII: leave CJK alone (lead bytes 0xE2-0xEF cover U+2000-U+FFFF) but protect dashes.
                if b == 0xE2 { risky = true }
            }
        }
        close(bytes.count)
    }

    private func add(_ attr: UnsafeMutablePointer<PangoAttribute>, _ range: Range<Int>, to list: OpaquePointer) {
        attr.pointee.start_index = UInt32(range.lowerBound)
        attr.pointee.end_index = UInt32(range.upperBound)
        pango_attr_list_insert(list, attr)
    }

    private func makeGlyphRun(_ run: PangoGlyphItem, bytes: [UInt8], size: Double) -> GlyphRun {
        let item = run.item!.pointee
        let gs = run.glyphs!.pointee
        let n = Int(gs.num_glyphs)
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(n)
        var clusters: [Int32] = []
        clusters.reserveCapacity(n)
        var x = 0
        let scale = Double(PANGO_SCALE)
        let start = Int(item.offset)
        let end = min(bytes.count, start + Int(item.length))
        for i in 0..<n {
            let info = gs.glyphs[i]
            var id = info.glyph
            if id & PANGO_GLYPH_UNKNOWN_FLAG != 0 {
                if let scalar = Unicode.Scalar(id & ~PANGO_GLYPH_UNKNOWN_FLAG), !scalar.properties.isWhitespace,
                   scalar.value >= 0x20 {
                    missing.insert(Character(scalar))
                }
                id = PANGO_GLYPH_EMPTY
            }
            glyphs.append(Glyph(id: id, x: Double(x + Int(info.geometry.x_offset)) / scale,
                                y: -Double(info.geometry.y_offset) / scale))
            clusters.append(gs.log_clusters[i])
            x += Int(info.geometry.width)
        }
        let fontName = describe(item.analysis.font)
        let text = start < end ? String(decoding: bytes[start..<end], as: UTF8.self) : ""
        return GlyphRun(font: fontName, size: size, glyphs: glyphs, text: text, clusters: clusters,
                        rightToLeft: item.analysis.level % 2 == 1)
    }

    private func describe(_ font: UnsafeMutablePointer<PangoFont>?) -> String {
        guard let font else { return "Liberation Sans 10" }
        let key = UnsafeMutableRawPointer(font)
        if let s = describedFonts[key] { return s }
        let desc = pango_font_describe_with_absolute_size(font)!
        defer { pango_font_description_free(desc) }
        let cstr = pango_font_description_to_string(desc)!
        defer { g_free(cstr) }
        let s = String(cString: cstr)
        describedFonts[key] = s
        return s
    }
}

/// A length in Pango units, clamped so absurd input sizes cannot overflow.
func pangoUnits(_ points: Double) -> Int32 {
    guard points.isFinite else { return 0 }
    return Int32(max(-1_000_000, min(1_000_000, points)) * Double(PANGO_SCALE))
}

/// A colour component (0…1) as Pango's 16-bit value.
func channel(_ v: Double) -> UInt16 {
    guard v.isFinite else { return 0 }
    return UInt16(max(0, min(1, v)) * 65535)
}
