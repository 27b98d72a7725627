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
    /// Per face and size, the glyph and advance of each character that shapes the same alone as in
    /// any Latin text (see `FastFace`): most report text is laid out from these without Pango.
    private var fastFaces: [FastFaceKey: FastFace] = [:]
    private var lastFastFace: (key: FastFaceKey, face: FastFace)?
    private var measureLayout: OpaquePointer?

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
        if let measureLayout { g_object_unref(UnsafeMutableRawPointer(measureLayout)) }
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
        fastFaces.removeAll()
        lastFastFace = nil
        return face
    }

    public func takeMissingCharacters() -> Set<Character> {
        defer { missing.removeAll() }
        return missing
    }

    public func shapeLine(_ text: String, style: InlineStyle) -> ShapedLine {
        if let line = fastLine(text, style) { return line }
        var s = StyledText()
        s.append(text, style)
        var p = ParagraphShape(text: s, width: 0)
        p.wrap = false
        return shape(p).first ?? ShapedLine(runs: [], x: 0, width: 0, maxFontSize: style.size)
    }

    public func shape(_ p: ParagraphShape) -> [ShapedLine] {
        let text = p.text.text
        let bytes = Array(text.utf8)
        if p.wrap, let pieces = fastPieces(p.text) {
            return linesLikeReportLab(p, bytes, pieces)
        }
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
        return linesLikeReportLab(p, bytes, pieces)
    }

    /// Breaks text shaped on a single line (`pieces`) into lines with ReportLab's rules.
    private func linesLikeReportLab(_ p: ParagraphShape, _ bytes: [UInt8], _ pieces: [ReportLabLineBreaker.Piece]) -> [ShapedLine] {
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

// MARK: Shaping Latin text from per-character glyphs

/// A face at a size, for the per-character glyph table.
struct FastFaceKey: Hashable {
    var face: FontFace
    var size: Double
}

/// The glyph and advance (Pango units) of characters of one face and size, each shaped once.
///
/// With kerning and ligatures off, Latin text in one font shapes as the concatenation of its
/// characters shaped alone: no glyph depends on its neighbours. A character qualifies when it is
/// Latin or common punctuation (one script run with its neighbours), shapes alone to one glyph with
/// no offset, and its font is the one the face itself resolves to; text made only of such characters
/// gives exactly the glyphs and positions Pango would give it.
final class FastFace {
    struct Entry {
        var id: UInt32
        var width: Int32
        /// Index into `fonts`.
        var font: Int32
    }
    /// Per scalar below `directLimit`: 0 not measured yet, 1 usable, 2 not usable.
    @exclusivity(unchecked) var state = [UInt8](repeating: 0, count: FastFace.directLimit)
    @exclusivity(unchecked) var entries = [Entry](repeating: Entry(id: 0, width: 0, font: 0), count: FastFace.directLimit)
    var others: [UInt32: Entry?] = [:]
    var fonts: [String] = []

    static let directLimit = 0x250

    /// Characters that may take the fast path: printable ASCII, Latin-1 and Latin Extended-A/B, and
    /// common typographic punctuation. Controls, tabs and newlines never do.
    static func eligible(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E, 0xA0...0x24F: return v != 0xAD
        case 0x2010...0x2022, 0x2026, 0x2030...0x203A, 0x20AC, 0x2122: return true
        default: return false
        }
    }
}

extension PangoShaper {
    private func fastFace(_ style: InlineStyle) -> FastFace? {
        // Anything that adds Pango attributes beyond font and colour goes through Pango.
        guard style.image == nil, style.rise == 0, !style.underline, !style.strike, style.link == nil,
              style.size > 0, style.size.isFinite else { return nil }
        let key = FastFaceKey(face: style.face, size: style.size)
        if let last = lastFastFace, last.key == key { return last.face }
        let f: FastFace
        if let known = fastFaces[key] { f = known } else {
            f = FastFace()
            fastFaces[key] = f
        }
        lastFastFace = (key, f)
        return f
    }

    /// The glyph of one character shaped alone, or nil when it does not qualify.
    private func fastEntry(_ v: UInt32, _ face: FastFace, _ style: InlineStyle) -> FastFace.Entry? {
        if v < UInt32(FastFace.directLimit) {
            let i = Int(v)
            switch face.state[i] {
            case 1: return face.entries[i]
            case 2: return nil
            default:
                let e = measureCharacter(v, face, style)
                face.state[i] = e == nil ? 2 : 1
                if let e { face.entries[i] = e }
                return e
            }
        }
        if let cached = face.others[v] { return cached }
        let e = measureCharacter(v, face, style)
        face.others[v] = e
        return e
    }

    private func measureCharacter(_ v: UInt32, _ face: FastFace, _ style: InlineStyle) -> FastFace.Entry? {
        guard FastFace.eligible(v), let scalar = Unicode.Scalar(v) else { return nil }
        let layout: OpaquePointer
        if let l = measureLayout { layout = l } else {
            layout = pango_layout_new(fonts.context)
            measureLayout = layout
        }
        let text = String(Character(scalar))
        let length = Int32(text.utf8.count)
        pango_layout_set_text(layout, text, length)
        let attrs = pango_attr_list_new()!
        let desc = fonts.description(style.face, size: style.size)
        add(pango_attr_font_desc_new(desc)!, 0..<Int(length), to: attrs)
        pango_font_description_free(desc)
        add(pango_attr_font_features_new("kern 0, liga 0, clig 0, dlig 0")!, 0..<Int(length), to: attrs)
        add(pango_attr_insert_hyphens_new(0)!, 0..<Int(length), to: attrs)
        pango_layout_set_attributes(layout, attrs)
        pango_attr_list_unref(attrs)
        pango_layout_set_width(layout, -1)
        pango_layout_set_auto_dir(layout, 0)
        guard let iter = pango_layout_get_iter(layout) else { return nil }
        defer { pango_layout_iter_free(iter) }
        var found: FastFace.Entry?
        var runs = 0
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iter) else { continue }
            runs += 1
            let item = run.pointee.item!.pointee
            let gs = run.pointee.glyphs!.pointee
            guard runs == 1, gs.num_glyphs == 1, item.analysis.level % 2 == 0 else { return nil }
            let info = gs.glyphs[0]
            guard info.glyph & PANGO_GLYPH_UNKNOWN_FLAG == 0, info.geometry.x_offset == 0, info.geometry.y_offset == 0,
                  gs.log_clusters[0] == 0 else { return nil }
            let name = describe(item.analysis.font)
            // Characters from a fallback font would start a run of their own in a line.
            if face.fonts.isEmpty { face.fonts.append(name) }
            guard name == face.fonts[0] else { return nil }
            found = FastFace.Entry(id: info.glyph, width: info.geometry.width, font: 0)
        } while pango_layout_iter_next_run(iter) != 0
        return runs == 1 ? found : nil
    }

    /// The face's primary font, resolved by measuring a letter.
    private func primaryFont(_ face: FastFace, _ style: InlineStyle) -> Bool {
        if face.fonts.isEmpty { _ = fastEntry(0x61, face, style) }
        return !face.fonts.isEmpty
    }

    /// A single line of Latin text (`shapeLine`) built from per-character glyphs, or nil.
    func fastLine(_ text: String, _ style: InlineStyle) -> ShapedLine? {
        guard !text.isEmpty, let face = fastFace(style), primaryFont(face, style) else { return nil }
        var glyphs: [Glyph] = []
        var clusters: [Int32] = []
        let count = text.utf8.count
        glyphs.reserveCapacity(count)
        clusters.reserveCapacity(count)
        var x = 0
        var byte = 0
        let scale = Double(PANGO_SCALE)
        for scalar in text.unicodeScalars {
            guard let e = fastEntry(scalar.value, face, style) else { return nil }
            glyphs.append(Glyph(id: e.id, x: Double(x) / scale, y: -Double(0) / scale))
            clusters.append(Int32(byte))
            x += Int(e.width)
            byte += UTF8.width(scalar)
        }
        let width = Double(x) / scale
        let run = GlyphRun(font: face.fonts[0], size: style.size, glyphs: glyphs, text: text, clusters: clusters, rightToLeft: false)
        return ShapedLine(runs: [ShapedRun(x: 0, width: width, style: style, glyphs: run)], x: 0, width: width,
                          maxFontSize: style.size)
    }

    /// The single-line shaping of a paragraph of Latin text, one piece per span, or nil.
    func fastPieces(_ text: StyledText) -> [ReportLabLineBreaker.Piece]? {
        guard !text.spans.isEmpty else { return nil }
        var pieces: [ReportLabLineBreaker.Piece] = []
        pieces.reserveCapacity(text.spans.count)
        let scale = Double(PANGO_SCALE)
        var scalars = text.text.unicodeScalars.makeIterator()
        var byte = 0
        var previous: InlineStyle?
        for span in text.spans {
            guard let face = fastFace(span.style), primaryFont(face, span.style), byte == span.range.lowerBound else { return nil }
            // Spans Pango would shape as one run (same font and colour) keep Pango's run boundaries.
            if let prev = previous, prev.face == span.style.face, prev.size == span.style.size,
               channel(prev.color.red) == channel(span.style.color.red), channel(prev.color.green) == channel(span.style.color.green),
               channel(prev.color.blue) == channel(span.style.color.blue) { return nil }
            previous = span.style
            var glyphs: [ReportLabLineBreaker.ShapedGlyph] = []
            glyphs.reserveCapacity(span.range.count)
            while byte < span.range.upperBound {
                guard let scalar = scalars.next(), let e = fastEntry(scalar.value, face, span.style) else { return nil }
                glyphs.append(.init(id: e.id, width: Double(e.width) / scale, xOffset: Double(0) / scale,
                                    yOffset: -Double(0) / scale, byte: byte))
                byte += UTF8.width(scalar)
            }
            pieces.append(.init(style: span.style, font: face.fonts[0], start: span.range.lowerBound,
                                end: span.range.upperBound, glyphs: glyphs))
        }
        return pieces
    }
}
