import Foundation
import Testing

/// A streamed story (long tables read row by row, rows released after their page, ranges counted
/// from the end resolved by look-ahead) must lay out exactly as the document read whole: the PDFs
/// are compared byte for byte.
@Suite struct StreamingRenderTests {
    static let corpus = CLI.packageRoot.appendingPathComponent("../shared/rml").standardizedFileURL.path

    /// Long tables exercising what streaming has to get right: styles on rows counted from the end
    /// (fonts, backgrounds, lines, spans), zebra rows, repeated headers, `<td>` attributes with
    /// lines and backgrounds, paragraphs in cells, splits inside rows, `splitfirst`/`splitlast`, a
    /// span running to the end (read whole), automatic widths (read whole), keep-with-next before
    /// a table, tiny tables, and Page X of Y.
    static func tablesDocument() -> String {
        func table(_ n: Int, style: String, attributes: String, tdAttributes: Bool = false, paragraphs: Bool = false) -> String {
            var rows: [String] = []
            for i in 0..<n {
                var cells: [String] = []
                for j in 0..<4 {
                    var a = ""
                    if tdAttributes && i % 17 == 3 && j == 1 { a = " lineBelowThickness=\"2\" lineBelowColor=\"red\" background=\"yellow\"" }
                    if tdAttributes && i % 23 == 5 && j == 2 { a = " fontName=\"Helvetica-Bold\" leftPadding=\"9\"" }
                    var text = "r\(i)c\(j)" + (j == 3 ? String(repeating: " long text", count: (i * 7) % 6) : "")
                    if paragraphs && j == 3 { text = "<para>\(text) &amp; more words here to wrap around</para>" }
                    if j == 2 && i % 11 == 0 { text = "multi\nline \(i)" }
                    cells.append("<td\(a)>\(text)</td>")
                }
                rows.append("<tr>" + cells.joined() + "</tr>")
            }
            return "<blockTable \(attributes) style=\"\(style)\">" + rows.joined(separator: "\n") + "</blockTable>"
        }
        let widths = "colWidths=\"80 100 120 200\""
        return """
        <?xml version="1.0"?>
        <document filename="t.pdf">
        <template pagesize="(595,842)"><pageTemplate id="main"><pageGraphics>
          <drawString x="40" y="20">Page <pageNumber/> of <pageCount/></drawString></pageGraphics>
          <frame id="f" x1="40" y1="40" width="515" height="762"/></pageTemplate></template>
        <stylesheet>
        <blockTableStyle id="s1">
          <blockFont name="Helvetica-Bold" start="0,-1" stop="-1,-1"/>
          <blockBackground colorName="#eeeeee" start="0,0" stop="-1,0"/>
          <blockRowBackground colorNames="white #F0F0F0" start="0,1" stop="-1,-2"/>
          <lineStyle kind="GRID" colorName="black" thickness="0.5" start="0,0" stop="-1,-1"/>
          <lineStyle kind="LINEABOVE" colorName="blue" thickness="2" start="0,-3" stop="-1,-3"/>
          <blockSpan start="0,-1" stop="2,-1"/>
          <blockSpan start="0,-4" stop="1,-3"/>
          <blockTextColor colorName="red" start="1,-5" stop="2,-2"/>
          <blockAlignment value="RIGHT" start="3,0" stop="-1,-1"/>
        </blockTableStyle>
        <blockTableStyle id="s2">
          <lineStyle kind="BOX" colorName="green" thickness="1" start="0,1" stop="-1,-1"/>
          <lineStyle kind="INNERGRID" colorName="gray" thickness="0.25" start="0,0" stop="-1,-1"/>
          <blockColBackground colorNames="#ffeeee #eeffee" start="0,0" stop="-1,-1"/>
          <blockLeading length="14" start="0,2" stop="-1,5"/>
        </blockTableStyle>
        <blockTableStyle id="s3">
          <lineStyle kind="OUTLINE" colorName="black" thickness="1"/>
          <blockSpan start="1,3" stop="1,6"/>
          <blockSpan start="3,100" stop="3,-1"/>
          <blockBackground colorName="#ccccff" start="0,splitfirst" stop="-1,splitfirst"/>
          <lineStyle kind="LINEBELOW" colorName="red" thickness="1" start="0,splitlast" stop="-1,splitlast"/>
        </blockTableStyle>
        </stylesheet>
        <story>
        <para>Intro</para>
        \(table(300, style: "s1", attributes: "repeatRows=\"1\" " + widths, tdAttributes: true))
        <para keepWithNext="1">A heading kept with the next table</para>
        \(table(150, style: "s2", attributes: "repeatRows=\"2\" " + widths, paragraphs: true))
        \(table(120, style: "s3", attributes: "splitInRow=\"1\" " + widths, paragraphs: true))
        \(table(60, style: "s1", attributes: "repeatRows=\"1\""))
        \(table(3, style: "s1", attributes: "repeatRows=\"1\" " + widths))
        \(table(1, style: "s1", attributes: "repeatRows=\"1\" " + widths))
        <para>End</para>
        </story></document>
        """
    }

    func render(_ input: String, streaming: String, to output: String, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.folio(["render", input, "-o", output, "--streaming", streaming] + extra,
                      environment: ["SOURCE_DATE_EPOCH": "1700000000"])
    }

    @Test func longTablesLayOutAsWhenReadWhole() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/tables.rml"
        try Self.tablesDocument().write(toFile: input, atomically: true, encoding: .utf8)
        let whole = try render(input, streaming: "never", to: dir + "/whole.pdf")
        let streamed = try render(input, streaming: "always", to: dir + "/streamed.pdf")
        #expect(whole.status == 0 && streamed.status == 0, "\(whole.stderr)\(streamed.stderr)")
        #expect(whole.stderr == streamed.stderr)
        let pages = try CLI.pageCount(dir + "/whole.pdf")
        #expect(pages > 15)
        #expect(try CLI.text(dir + "/streamed.pdf", page: pages).contains("Page \(pages) of \(pages)"))
        #expect(FileManager.default.contentsEqual(atPath: dir + "/whole.pdf", andPath: dir + "/streamed.pdf"))
    }

    /// `--streaming always` really streams (or the comparisons above would compare a layout with
    /// itself): a table style after the rows, which a table read whole applies, is reported instead.
    @Test func streamingIsWhatTheOptionSays() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/late-style.rml"
        try """
        <document><template/><story>
        <blockTable><tr><td>a</td></tr><blockTableStyle id="late"><blockFont name="Courier"/></blockTableStyle></blockTable>
        </story></document>
        """.write(toFile: input, atomically: true, encoding: .utf8)
        let whole = try render(input, streaming: "never", to: dir + "/whole.pdf")
        let streamed = try render(input, streaming: "always", to: dir + "/streamed.pdf")
        #expect(whole.status == 0 && streamed.status == 0)
        #expect(!whole.stderr.contains("after the rows of a long table"), "\(whole.stderr)")
        #expect(streamed.stderr.contains("late-style.rml:2:32: warning: <blockTableStyle> after the rows of a long table is ignored"),
                "\(streamed.stderr)")
    }

    @Test func theTableCorpusLaysOutAsWhenReadWhole() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = try FileManager.default.contentsOfDirectory(atPath: Self.corpus + "/input").sorted()
            .filter { $0.hasSuffix(".rml") }
            .filter { (try? String(contentsOfFile: Self.corpus + "/input/" + $0, encoding: .utf8))?.contains("<blockTable") == true }
        #expect(inputs.count > 20)
        let options = ["--map", "[z3c.rml.tests]=\(Self.corpus)", "--map", "[z3c.rml]/tests=\(Self.corpus)",
                       "--resource-path", Self.corpus + "/fonts"]
        var differing: [String] = []
        for name in inputs {
            let input = Self.corpus + "/input/" + name
            let a = try render(input, streaming: "never", to: "\(dir)/\(name)-whole.pdf", options)
            let b = try render(input, streaming: "always", to: "\(dir)/\(name)-streamed.pdf", options)
            if a.status != b.status || a.stderr != b.stderr
                || !FileManager.default.contentsEqual(atPath: "\(dir)/\(name)-whole.pdf", andPath: "\(dir)/\(name)-streamed.pdf") {
                differing.append(name)
            }
        }
        #expect(differing.isEmpty, "streamed layout differs for \(differing)")
    }
}
