import FolioLayout
import FolioRML

/// A `TextShaper` with fixed-width glyphs (advance = 0.5 × font size per character) and greedy word
/// wrapping, so layout tests can assert exact positions without Pango or fonts.
final class FixedWidthShaper: TextShaper {
    static let advance = 0.5

    func face(forFontName name: String) -> FontFace? {
        name.hasPrefix("Unknown") ? nil : FontFace(family: name)
    }

    func registerFont(name: String, path: String) throws(FontError) -> FontFace { FontFace(family: name) }

    func takeMissingCharacters() -> Set<Character> { [] }

    private func width(_ s: Substring, _ style: InlineStyle) -> Double { Double(s.count) * style.size * Self.advance }

    private func run(_ text: Substring, style: InlineStyle, x: Double) -> ShapedRun {
        var glyphs: [Glyph] = []
        var gx = 0.0
        for _ in text {
            glyphs.append(Glyph(id: 1, x: gx, y: 0))
            gx += style.size * Self.advance
        }
        return ShapedRun(x: x, width: gx, style: style,
                         glyphs: GlyphRun(font: style.face.family, size: style.size, glyphs: glyphs, text: String(text),
                                          clusters: [], rightToLeft: false))
    }

    func shapeLine(_ text: String, style: InlineStyle) -> ShapedLine {
        let r = run(Substring(text), style: style, x: 0)
        return ShapedLine(runs: [r], x: 0, width: r.width, maxFontSize: style.size)
    }

    /// Greedy wrap on spaces using the style of the first span (tests use one style per paragraph).
    func shape(_ p: ParagraphShape) -> [ShapedLine] {
        guard let style = p.text.spans.first?.style else { return [] }
        var lines: [ShapedLine] = []
        for hard in p.text.text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            func flush() {
                let indent = lines.isEmpty ? p.firstLineIndent : 0
                let r = run(Substring(current), style: style, x: 0)
                var x = indent
                switch p.alignment {
                case .center: x = (p.width - r.width) / 2
                case .right: x = p.width - r.width
                default: break
                }
                var shifted = r
                shifted.x = x
                lines.append(ShapedLine(runs: [shifted], x: x, width: r.width, maxFontSize: style.size))
                current = ""
            }
            for word in hard.split(separator: " ") {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                let indent = lines.isEmpty ? p.firstLineIndent : 0
                if !current.isEmpty && p.wrap && width(Substring(candidate), style) + indent > p.width {
                    flush()
                    current = String(word)
                } else {
                    current = candidate
                }
            }
            flush()
        }
        return lines
    }
}
