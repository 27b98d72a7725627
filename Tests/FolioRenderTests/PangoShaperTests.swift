import Foundation
import Testing
import FolioLayout
import FolioRML
@testable import FolioRender

/// Pango shaping with Folio's bundled fonts: widths, ReportLab-compatible line breaks, fallback.
@Suite struct PangoShaperTests {
    static let fontsDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fonts").path

    func shaper() throws -> PangoShaper {
        let env = try FontEnvironment(fontsDirectory: Self.fontsDirectory)
        let s = PangoShaper(fonts: env)
        return s
    }

    func style(_ s: PangoShaper, _ name: String = "Helvetica", size: Double = 10) -> InlineStyle {
        InlineStyle(face: s.face(forFontName: name)!, size: size, color: .black)
    }

    @Test func helveticaWidthsMatchTheAFMMetrics() throws {
        let s = try shaper()
        // Helvetica AFM: H=722, e=556, l=222, o=556 → "Hello" = 2278/1000 em.
        let line = s.shapeLine("Hello", style: style(s, size: 10))
        #expect(abs(line.width - 22.78) < 0.01)
        let bold = s.shapeLine("Hello", style: style(s, "Helvetica-Bold", size: 10))
        // Helvetica-Bold: H=722 e=556 l=278 o=611 → 2445.
        #expect(abs(bold.width - 24.45) < 0.01)
    }

    @Test func standardNamesMapToBundledFaces() throws {
        let s = try shaper()
        #expect(s.face(forFontName: "Times-BoldItalic") == FontFace(family: "Liberation Serif", bold: true, italic: true))
        #expect(s.face(forFontName: "Courier-Oblique") == FontFace(family: "Liberation Mono", italic: true))
        #expect(s.face(forFontName: "DejaVu Sans") == FontFace(family: "DejaVu Sans"))
        #expect(s.face(forFontName: "No Such Font") == nil)
    }

    @Test func linesBreakAtSpacesOnly() throws {
        let s = try shaper()
        var text = StyledText()
        text.append("alpha beta/gamma-delta epsilon", style(s))
        // "alpha beta/gamma-delta" (107.4 pt) does not fit 90 pt; ReportLab does not break at "/" or "-".
        let lines = s.shape(ParagraphShape(text: text, width: 90))
        #expect(lines.map { $0.runs.map(\.glyphs.text).joined() } == ["alpha", "beta/gamma-delta", "epsilon"])
    }

    @Test func aLineMayOverrunByFivePercentOfItsSpaces() throws {
        let s = try shaper()
        var text = StyledText()
        text.append("aaaa aaaa aaaa", style(s))
        let natural = s.shapeLine("aaaa aaaa aaaa", style: style(s)).width
        // Two spaces of 2.78 pt: 5 % of them is 0.278 pt of allowed overrun.
        let squeezed = s.shape(ParagraphShape(text: text, width: natural - 0.2))
        #expect(squeezed.count == 1)
        #expect(abs(squeezed[0].width - (natural - 0.2)) < 0.01)
        let broken = s.shape(ParagraphShape(text: text, width: natural - 0.5))
        #expect(broken.count == 2)
    }

    @Test func justifiedLinesFillTheWidthExceptTheLast() throws {
        let s = try shaper()
        var text = StyledText()
        text.append("one two three four five six seven eight nine ten", style(s))
        let lines = s.shape(ParagraphShape(text: text, width: 100, alignment: .justify))
        #expect(lines.count > 1)
        for line in lines.dropLast() { #expect(abs(line.width - 100) < 0.01) }
        #expect(lines.last!.width < 100)
    }

    @Test func fallbackFontsCoverGreekArabicAndChinese() throws {
        let s = try shaper()
        var text = StyledText()
        text.append("Ελληνικά العربية 中文", style(s))
        let lines = s.shape(ParagraphShape(text: text, width: 500))
        let fonts = Set(lines.flatMap { $0.runs.map { $0.glyphs.font } })
        #expect(fonts.contains { $0.hasPrefix("DejaVu Sans") })
        #expect(fonts.contains { $0.hasPrefix("Droid Sans Fallback") })
        #expect(s.takeMissingCharacters().isEmpty)
        #expect(lines.flatMap { $0.runs }.contains { $0.glyphs.rightToLeft })
    }

    @Test func missingCharactersAreReported() throws {
        let s = try shaper()
        _ = s.shapeLine("x\u{10000}", style: style(s))
        #expect(s.takeMissingCharacters() == ["\u{10000}"])
    }

    @Test func grayImageDifferenceToleratesOnePixelShifts() {
        var a = GrayImage(width: 10, height: 10, pixels: [UInt8](repeating: 255, count: 100))
        var b = a
        a.pixels[55] = 0
        b.pixels[56] = 0
        #expect(a.difference(from: b) == 0)
        b.pixels[56] = 255
        b.pixels[99] = 0
        #expect(a.difference(from: b) > 0)
    }
}

@Suite struct FontEnvironmentLifetimeTests {
    @Test func environmentsCanBeCreatedAndDroppedRepeatedly() throws {
        for _ in 0..<20 {
            let shaper = PangoShaper(fonts: try FontEnvironment(fontsDirectory: PangoShaperTests.fontsDirectory))
            let style = InlineStyle(face: shaper.face(forFontName: "Helvetica")!, size: 10, color: .black)
            #expect(abs(shaper.shapeLine("Hello", style: style).width - 22.78) < 0.01)
        }
    }

    @Test func environmentsWorkOnSeveralThreadsAtOnce() async throws {
        try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let shaper = PangoShaper(fonts: try FontEnvironment(fontsDirectory: PangoShaperTests.fontsDirectory))
                    let style = InlineStyle(face: shaper.face(forFontName: "Helvetica")!, size: 10, color: .black)
                    var w = 0.0
                    for _ in 0..<50 { w = shaper.shapeLine("Hello", style: style).width }
                    return w
                }
            }
            for try await w in group { #expect(abs(w - 22.78) < 0.01) }
        }
    }
}
