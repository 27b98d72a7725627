import Foundation
import Testing
@testable import FolioLayout
import FolioRML

/// Reads the first story element of a one-frame document (frame 200 × 300 pt at (100, 100)) as a
/// table, with the fixed-width shaper (a character is half the font size wide).
private func makeTable(_ xml: String, stylesheet: String = "", openerp: Bool = false) throws -> (table: Table, ctx: LayoutContext, sink: DiagnosticSink) {
    let sink = DiagnosticSink()
    var source = singleFrame(xml, stylesheet: stylesheet)
    if openerp { source = source.replacingOccurrences(of: "pagesize=", with: "pageSize=") }
    let doc = try RMLParser(fileName: "test.rml").parse(Data(source.utf8), diagnostics: sink)
    let ctx = LayoutContext(shaper: FixedWidthShaper(), diagnostics: sink,
                            resolver: ResourceResolver(baseDirectory: FileManager.default.currentDirectoryPath))
    _ = try DocumentLayout(document: doc, context: ctx)  // applies the stylesheet and the dialect
    let e = try #require(doc.story?.elements.first)
    let f = try TableReader(ctx: ctx, story: StoryReader(ctx: ctx)).table(e)
    let guardian = try #require(f as? TableGuard)
    return (guardian.table, ctx, sink)
}

/// `count` one-column rows holding "r0", "r1", …
private func rows(_ count: Int, from start: Int = 0) -> String {
    (start..<(start + count)).map { "<tr><td>r\($0)</td></tr>" }.joined()
}

private func modelRow(_ t: Table, _ i: Int) -> Int? {
    if case .model(let r) = t.rows.source(i) { return r }
    return nil
}

@Suite struct TableTests {
    // MARK: Column widths

    @Test func absolutePercentAndStarWidths() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable colWidths="50 25% * 2*"><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr></blockTable>"#)
        let size = try t.wrap(200, 1000, ctx)
        // 150 pt remain after the 50 pt column: 25 % of them is 37.5; the rest (112.5) goes 1 : 2 to the stars.
        #expect(t.model.colWidths == [50, 37.5, 37.5, 75])
        #expect(size.width == 200)
    }

    @Test func percentagesOverAHundredAreScaledDown() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable colWidths="60% 60%"><tr><td>a</td><td>b</td></tr></blockTable>"#)
        _ = try t.wrap(200, 1000, ctx)
        #expect(t.model.colWidths == [100, 100])
    }

    @Test func automaticWidthsFitTheWidestCellPlusPaddings() throws {
        let (t, ctx, _) = try makeTable("""
            <blockTable><tr><td>abcd</td><td>a</td></tr><tr><td>ab</td><td>abcdefgh</td></tr></blockTable>
            """)
        _ = try t.wrap(200, 1000, ctx)
        // 5 pt a character at 10 pt, plus 6 + 6 pt padding.
        #expect(t.model.colWidths == [32, 52])
    }

    @Test func starBecomesAutomaticNextToAnAutomaticColumn() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable colWidths="None *"><tr><td>abcd</td><td>ab</td></tr></blockTable>"#)
        _ = try t.wrap(200, 1000, ctx)
        #expect(t.model.colWidths == [32, 22])
    }

    @Test func paragraphColumnTakesTheRemainingWidth() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable colWidths="50 None"><tr><td>a</td><td><para>Some words</para></td></tr></blockTable>"#)
        _ = try t.wrap(200, 1000, ctx)
        #expect(t.model.colWidths == [50, 150])
    }

    @Test func tableIsCentredByDefaultAndAlignable() throws {
        let centred = try layout(singleFrame(#"<blockTable colWidths="100"><tr><td>x</td></tr></blockTable>"#)).pages[0].texts
        #expect(centred[0].x == 156)
        let left = try layout(singleFrame(#"<blockTable colWidths="100" alignment="left"><tr><td>x</td></tr></blockTable>"#)).pages[0].texts
        #expect(left[0].x == 106)
    }

    // MARK: Row heights and text placement

    @Test func rowHeightsFromLinesLeadingAndPaddings() throws {
        let (t, ctx, _) = try makeTable("""
            <blockTable><tr><td>a</td></tr><tr><td>a
            b</td></tr><tr><td><para>one two three four five six</para></td></tr></blockTable>
            """, stylesheet: "")
        let size = try t.wrap(200, 1000, ctx)
        // 1 line: 12 + 3 + 3; 2 lines: 24 + 6; the paragraph: one line at the 200 pt preliminary width.
        #expect(try t.rowHeight(0, ctx) == 18)
        #expect(try t.rowHeight(1, ctx) == 30)
        #expect(try t.rowHeight(2, ctx) == 18)
        #expect(size.height == 66)
    }

    @Test func fixedRowHeightsAndFontLeading() throws {
        let style = #"<blockTableStyle id="s"><blockFont name="Courier" size="20" start="0,1" stop="0,1"/></blockTableStyle>"#
        let (t, ctx, _) = try makeTable(#"<blockTable style="s" rowHeights="40 None"><tr><td>a</td></tr><tr><td>b</td></tr></blockTable>"#,
                                        stylesheet: style)
        _ = try t.wrap(200, 1000, ctx)
        #expect(try t.rowHeight(0, ctx) == 40)
        #expect(try t.rowHeight(1, ctx) == 24 + 6)  // leading 1.2 × 20
    }

    @Test func textBaselinesFollowValign() throws {
        let style = """
            <blockTableStyle id="s"><blockValign value="top" start="0,0" stop="0,0"/>
            <blockValign value="middle" start="1,0" stop="1,0"/></blockTableStyle>
            """
        let texts = try layout(singleFrame(#"<blockTable style="s" colWidths="50 50 50" rowHeights="60"><tr><td>t</td><td>m</td><td>b</td></tr></blockTable>"#,
                                           stylesheet: style)).pages[0].texts
        // Row from y 340 to 400. TOP: 400 - 3 - 10; MIDDLE: 340 + (3 + 60 - 3 + 12) / 2 - 10; BOTTOM: 340 + 3 + 12 - 10.
        #expect(texts.map(\.y) == [387, 366, 345])
        #expect(texts.map(\.x) == [131.0, 181, 231])  // columns from x 125
    }

    @Test func alignmentInCells() throws {
        let style = """
            <blockTableStyle id="s"><blockAlignment value="right" start="0,0" stop="0,0"/>
            <blockAlignment value="center" start="1,0" stop="1,0"/><blockAlignment value="decimal" start="2,0" stop="2,0"/></blockTableStyle>
            """
        let texts = try layout(singleFrame(#"<blockTable style="s" colWidths="60 60 60"><tr><td>ab</td><td>ab</td><td>12.5</td></tr></blockTable>"#,
                                           stylesheet: style)).pages[0].texts
        // Table from x 110. RIGHT: 170 - 6 - 10; CENTRE: 170 + (60 + 6 - 6) / 2 - 5; DECIMAL: '.' centred on 290 - 6.
        #expect(texts.map(\.x) == [154.0, 195, 271.5])
    }

    // MARK: Cell content

    @Test func plainCellsKeepRawTextAsZ3cRML() throws {
        let (t, _, _) = try makeTable("<blockTable><tr><td>a &amp; b</td><td>x\n  y</td></tr></blockTable>")
        guard case .text(let a) = t.model.value(0, 0), case .text(let b) = t.model.value(0, 1) else {
            Issue.record("cells are not text"); return
        }
        #expect(a == "a &amp; b")
        #expect(b == "x\n  y")
    }

    @Test func openERPCellsAreDedentedText() throws {
        let (t, _, _) = try makeTable("<blockTable><tr><td>\n    a &amp; b\n    c\n  </td></tr></blockTable>", openerp: true)
        guard case .text(let a) = t.model.value(0, 0) else { Issue.record("cell is not text"); return }
        #expect(a == "a & b\nc")
    }

    @Test func bulkDataRows() throws {
        let (t, _, _) = try makeTable("<blockTable><bulkData>\n  Product,Profit\n  Widgets, 34\n</bulkData></blockTable>")
        #expect(t.model.nrows == 2 && t.model.ncols == 2)
        guard case .text(let v) = t.model.value(1, 1) else { Issue.record("cell is not text"); return }
        #expect(v == "34")
    }

    @Test func cellAttributesBecomeCellStyles() throws {
        let (t, _, _) = try makeTable(#"<blockTable><tr><td fontSize="14" leftPadding="15" align="right" background="pink">a</td><td>b</td></tr></blockTable>"#)
        let s = t.model.style(t.model.styleIndex(0, 0))
        #expect(s.fontSize == 14 && s.leftPadding == 15 && s.alignment == .right)
        #expect(t.model.style(t.model.styleIndex(0, 1)) == CellStyle())
        #expect(t.backgrounds.count == 1)
    }

    @Test func namedAndInlineStylesApplyInOrder() throws {
        let style = #"<blockTableStyle id="s"><blockTextColor colorName="red"/><blockLeftPadding length="1"/></blockTableStyle>"#
        let (t, _, sink) = try makeTable("""
            <blockTable style="s"><blockTableStyle><blockLeftPadding length="2" start="0,0" stop="0,0"/></blockTableStyle>
            <tr><td>a</td><td>b</td></tr></blockTable>
            """, stylesheet: style)
        #expect(t.model.style(t.model.styleIndex(0, 0)).leftPadding == 2)
        #expect(t.model.style(t.model.styleIndex(0, 1)).leftPadding == 1)
        #expect(t.model.style(t.model.styleIndex(0, 1)).color == Color.parse("red"))
        #expect(sink.diagnostics.isEmpty)
    }

    // MARK: Splitting

    @Test func splitsBetweenRowsWithTheHeaderRepeated() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable repeatRows="1"><tr><td>H</td></tr>\#(rows(30))</blockTable>"#)
        // 18 pt rows: 5 fit in 100 pt.
        let parts = try t.split(200, 100, ctx)
        #expect(parts.count == 2)
        let first = try #require(parts[0] as? Table)
        let rest = try #require((parts[1] as? TableGuard)?.table)
        #expect(first.rowCount == 5)
        #expect((0..<5).map { modelRow(first, $0) } == [0, 1, 2, 3, 4])
        #expect(rest.rowCount == 1 + 26)
        #expect(modelRow(rest, 0) == 0)
        #expect(modelRow(rest, 1) == 5)
        // The remainder splits again without touching rows measured before.
        let again = try rest.split(200, 100, ctx)
        let third = try #require((again[1] as? TableGuard)?.table)
        #expect(modelRow(third, 0) == 0 && modelRow(third, 1) == 9)
    }

    @Test func splitTablesFlowOverPagesWithTheHeaderOnEach() throws {
        let (pages, diagnostics) = try layout(singleFrame(#"<blockTable repeatRows="1" colWidths="100"><tr><td>H</td></tr>\#(rows(30))</blockTable>"#))
        // 300 pt frame, 18 pt rows: 16 rows a page, header included.
        #expect(pages.count == 2)
        #expect(pages[0].texts.count == 16)
        #expect(pages[1].texts.count == 16)
        #expect(pages[1].texts[0] == DrawnText(text: "H", x: 156, y: 387))
        #expect(pages[1].texts[1].text == "r15")
        #expect(diagnostics.isEmpty)
    }

    @Test func headerAloneDoesNotMakeAPart() throws {
        let (t, ctx, _) = try makeTable(#"<blockTable repeatRows="1"><tr><td>H</td></tr>\#(rows(3))</blockTable>"#)
        #expect(try t.split(200, 30, ctx).isEmpty)
    }

    @Test func neverSplitsInsideASpanOrNosplitRange() throws {
        let style = #"<blockTableStyle id="s"><blockSpan start="0,0" stop="0,2"/><blockNosplit start="0,4" stop="0,5"/></blockTableStyle>"#
        let twoColumns = (0..<8).map { "<tr><td>a\($0)</td><td>b\($0)</td></tr>" }.joined()
        let (t, ctx, _) = try makeTable(#"<blockTable style="s">\#(twoColumns)</blockTable>"#, stylesheet: style)
        #expect(try t.split(200, 40, ctx).isEmpty)       // rows 0-2 are one block
        #expect((try t.split(200, 60, ctx)[0] as? Table)?.rowCount == 3)
        #expect((try t.split(200, 90, ctx)[0] as? Table)?.rowCount == 4)  // not between rows 4 and 5
    }

    @Test func gridLinesCloseEachPart() throws {
        let style = #"<blockTableStyle id="s"><lineStyle kind="GRID" colorName="black"/><lineStyle kind="BOX" colorName="red"/></blockTableStyle>"#
        let (t, ctx, _) = try makeTable(#"<blockTable style="s">\#(rows(10))</blockTable>"#, stylesheet: style)
        let parts = try t.split(200, 60, ctx)
        let first = try #require(parts[0] as? Table)
        let rest = try #require((parts[1] as? TableGuard)?.table)
        // ReportLab: the split GRID adds a line below the first part and above the second.
        #expect(first.lines.contains { $0.op == .lineBelow && $0.range.sr == 2 && $0.range.er == 2 && $0.color == Color.parse("black") })
        #expect(rest.lines.contains { $0.op == .lineAbove && $0.range.sr == 0 && $0.range.er == 0 && $0.color == Color.parse("black") })
        // The BOX becomes its sides; its bottom edge stays with the last part.
        #expect(!first.lines.contains { $0.op == .box })
        #expect(rest.lines.contains { $0.op == .lineBelow && $0.range.sr == 6 && $0.color == Color.parse("red") })
    }

    @Test func splitLastAndSplitFirstRows() throws {
        let style = """
            <blockTableStyle id="s"><lineStyle kind="LINEBELOW" colorName="blue" start="0,splitlast" stop="-1,splitlast"/>
            <blockTextColor colorName="red" start="0,splitfirst" stop="-1,splitfirst"/></blockTableStyle>
            """
        let (t, ctx, _) = try makeTable(#"<blockTable style="s" repeatRows="1"><tr><td>H</td></tr>\#(rows(10))</blockTable>"#, stylesheet: style)
        #expect(t.model.style(t.cell(0, 0).style).color == .black)
        let parts = try t.split(200, 72, ctx)
        let first = try #require(parts[0] as? Table)
        let rest = try #require((parts[1] as? TableGuard)?.table)
        #expect(first.lines.contains { $0.op == .lineBelow && $0.range.sr == 3 && $0.range.special == nil })
        #expect(rest.lines.allSatisfy { $0.range.special == nil && $0.range.sr != 0 })
        let red = try #require(Color.parse("red"))
        #expect(rest.model.style(rest.cell(1, 0).style).color == red)
        #expect(rest.model.style(rest.cell(0, 0).style).color == .black)
        #expect(first.model.style(first.cell(3, 0).style).color == .black)
    }

    @Test func rowBackgroundsRestartAfterTheRepeatedHeader() throws {
        let style = #"<blockTableStyle id="s"><blockRowBackground colorNames="red green" start="0,1" stop="-1,-1"/></blockTableStyle>"#
        let (t, ctx, _) = try makeTable(#"<blockTable style="s" repeatRows="1"><tr><td>H</td></tr>\#(rows(10))</blockTable>"#, stylesheet: style)
        let parts = try t.split(200, 72, ctx)  // 4 rows
        let rest = try #require((parts[1] as? TableGuard)?.table)
        #expect(rest.backgrounds.count == 1)
        #expect(rest.backgrounds[0].range.sr == 1 && rest.backgrounds[0].range.er == 7)
    }

    @Test func eachRowIsMeasuredOnceAcrossSplits() throws {
        let (pages, _) = try layout(singleFrame(#"<blockTable repeatRows="1"><tr><td>H</td></tr>\#(rows(2000))</blockTable>"#))
        #expect(pages.count == 2001 / 15 + 1)
        let (t, ctx, _) = try makeTable(#"<blockTable repeatRows="1"><tr><td>H</td></tr>\#(rows(2000))</blockTable>"#)
        var part: Table? = t
        var count = 0
        while let p = part {
            let parts = try p.split(200, 300, ctx)
            count += 1
            part = parts.count == 2 ? (parts[1] as? TableGuard)?.table : nil
            if count > 500 { break }
        }
        // 134 parts: header + 15 rows each; the last split call finds that the rest fits.
        #expect(count == 134)
        #expect(t.model.measuredRows == 2001)
    }

    // MARK: Rows taller than a frame

    @Test func rowTallerThanTheFrameOverflowsWithAWarningAndTheRestContinues() throws {
        let (pages, diagnostics) = try layout(singleFrame(
            #"<blockTable rowHeights="18 400 18"><tr><td>a</td></tr><tr><td>big</td></tr><tr><td>c</td></tr></blockTable>"#))
        #expect(pages.count == 3)
        #expect(pages[0].texts.map(\.text) == ["a"])
        #expect(pages[1].texts.map(\.text) == ["big"])
        #expect(pages[2].texts.map(\.text) == ["c"])
        #expect(diagnostics.contains { $0.message.contains("table row is 400 pt high") && $0.location?.line != nil })
    }

    @Test func tallParagraphRowIsSplitInsideTheRow() throws {
        // 60 four-letter words at 5 pt a character: 7 words a 188 pt line → 9 lines of 12 pt,
        // repeated to make a row taller than the frame.
        let words = Array(repeating: "wwww", count: 7 * 40).joined(separator: " ")
        let (pages, diagnostics) = try layout(singleFrame(
            #"<blockTable colWidths="200"><tr><td>top</td></tr><tr><td><para>\#(words)</para></td></tr><tr><td>end</td></tr></blockTable>"#))
        let lines = pages.flatMap(\.texts).filter { $0.text.hasPrefix("wwww") }
        #expect(lines.count == 40)
        // As ReportLab: the row that cannot fit any frame starts a new page, then splits where it ends.
        #expect(pages.count == 3)
        #expect(pages[0].texts.map(\.text) == ["top"])
        #expect(pages[1].texts.count == 24)  // (300 - 3 top padding) / 12
        #expect(pages[2].texts.last?.text == "end")
        #expect(!diagnostics.contains { $0.message.contains("overflows") })
    }

    @Test func splitInRowAttributeSplitsRowsAtTheFrameEnd() throws {
        let words = Array(repeating: "wwww", count: 7 * 10).joined(separator: " ")
        let para = "<tr><td><para>\(words)</para></td></tr>"
        let (pages, _) = try layout(singleFrame(#"<blockTable colWidths="200" splitByRow="0" splitInRow="1">\#(para)\#(para)\#(para)</blockTable>"#))
        // Three 126 pt rows in 300 pt frames: the third row starts on page 1 and ends on page 2.
        #expect(pages.count == 2)
        #expect(pages[0].texts.count + pages[1].texts.count == 30)
        #expect(pages[0].texts.count > 20)
    }
}
