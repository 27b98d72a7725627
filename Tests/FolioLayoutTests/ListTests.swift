import Testing
@testable import FolioLayout
import FolioRML

@Suite struct ListTests {
    // MARK: Bullet labels

    @Test func counterFormatsForEachBulletType() {
        #expect((1...4).map { ListNumbering.format($0, "1")! } == ["1", "2", "3", "4"])
        #expect((1...4).map { ListNumbering.format($0, "a")! } == ["a", "b", "c", "d"])
        #expect((1...4).map { ListNumbering.format($0, "A")! } == ["A", "B", "C", "D"])
        #expect((1...4).map { ListNumbering.format($0, "i")! } == ["i", "ii", "iii", "iv"])
        #expect((1...4).map { ListNumbering.format($0, "I")! } == ["I", "II", "III", "IV"])
        #expect(ListNumbering.format(1994, "I") == "MCMXCIV")
        #expect(ListNumbering.format(27, "a") == "a")   // letters wrap around, as ReportLab's sequencer
        #expect(ListNumbering.format(21, "l") == "Twenty-One")
        #expect(ListNumbering.format(105, "L") == "ONE HUNDRED FIVE")
        #expect(ListNumbering.format(2, "o") == "Second")
        #expect(ListNumbering.format(20, "O") == "TWENTIETH")
        #expect([1, 2, 3, 4, 11, 12, 13, 22].map { ListNumbering.format($0, "r")! }
                == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "22nd"])
        #expect(ListNumbering.format(3, "R") == "3RD")
    }

    @Test func labelsApplyBulletNamesAndFormat() {
        #expect(ListNumbering.label(value: "3", type: "a", format: "(%s)") == "(c)")
        #expect(ListNumbering.label(value: "square", type: "bullet", format: nil) == "\u{25A0}")
        #expect(ListNumbering.label(value: "Item:", type: "bullet", format: nil) == "Item:")
        #expect(ListNumbering.label(value: "7", type: "1", format: "%s.") == "7.")
    }

    /// Bullet runs (Helvetica 12, the list default) and item text runs (Normal, 10 pt) of a page.
    private func split(_ page: Page) -> (bullets: [DrawnText], items: [DrawnText]) {
        var bullets: [DrawnText] = [], items: [DrawnText] = []
        for op in page.ops {
            guard case .glyphs(let run, let x, let y) = op else { continue }
            let t = DrawnText(text: run.text, x: x, y: y)
            if run.size == 12 { bullets.append(t) } else { items.append(t) }
        }
        return (bullets, items)
    }

    private func items(_ n: Int) -> String {
        (1...n).map { "<li><para>Item \($0)</para></li>" }.joined()
    }

    @Test(arguments: [("1", "1", ["1", "2", "3", "4"]), ("a", "1", ["a", "b", "c", "d"]), ("A", "3", ["C", "D", "E", "F"]),
                      ("i", "1", ["i", "ii", "iii", "iv"]), ("I", "1", ["I", "II", "III", "IV"]), ("I", "9", ["IX", "X", "XI", "XII"])])
    func orderedListBulletsFollowTypeAndStart(type: String, start: String, expected: [String]) throws {
        let (pages, _) = try layout(singleFrame(#"<ol bulletType="\#(type)" start="\#(start)">\#(items(4))</ol>"#))
        #expect(split(pages[0]).bullets.map(\.text) == expected)
    }

    @Test func itemValueRestartsTheCounter() throws {
        let story = #"<ol><li value="5"><para>a</para></li><li><para>b</para></li><li><para>c</para></li></ol>"#
        #expect(split(try layout(singleFrame(story)).pages[0]).bullets.map(\.text) == ["5", "6", "7"])
    }

    @Test func unorderedListBulletsFromListStyleAndItems() throws {
        let sheet = #"<listStyle name="Diamonds" start="diamond" bulletFormat="%s"/>"#
        let story = """
        <ul style="Diamonds"><li><para>a</para></li><li value="square"><para>b</para></li></ul>
        <ul><li><para>c</para></li></ul>
        """
        let bullets = split(try layout(singleFrame(story, stylesheet: sheet)).pages[0]).bullets.map(\.text)
        #expect(bullets == ["\u{25C6}", "\u{25A0}", "\u{25CB}"])
    }

    @Test func bulletSitsLeftOfTheItemAtTheTopOfItsFirstFlowable() throws {
        let (pages, _) = try layout(singleFrame(#"<ol><li><para>One</para><para>more</para></li><li><para>Two</para></li></ol>"#))
        let (bullets, texts) = split(pages[0])
        // Frame top 400, left 100; items indented 18 pt; bullet baseline one bullet size (12) below the item top.
        #expect(bullets == [DrawnText(text: "1", x: 100, y: 388), DrawnText(text: "2", x: 100, y: 364)])
        #expect(texts == [DrawnText(text: "One", x: 118, y: 390), DrawnText(text: "more", x: 118, y: 378),
                          DrawnText(text: "Two", x: 118, y: 366)])
    }

    @Test func listAttributesSetIndentDedentOffsetAndFormat() throws {
        let story = #"<ol leftIndent="40" bulletDedent="30" bulletOffsetY="2" bulletFormat="%s)"><li><para>x</para></li></ol>"#
        let (bullets, texts) = split(try layout(singleFrame(story)).pages[0])
        #expect(bullets == [DrawnText(text: "1)", x: 110, y: 390)])
        #expect(texts == [DrawnText(text: "x", x: 140, y: 390)])
    }

    @Test func nestedListsIndentOneLevelMore() throws {
        let story = """
        <ol>
          <li><para>outer</para></li>
          <li><ol bulletType="a"><li><para>inner</para></li><li><ol bulletType="i"><li><para>deep</para></li></ol></li></ol></li>
        </ol>
        """
        let (bullets, texts) = split(try layout(singleFrame(story)).pages[0])
        #expect(texts.map(\.x) == [118, 136, 154])
        #expect(texts.map(\.y) == [390, 378, 366])
        // "2" belongs to the outer list and sits at the top of the nested list, beside "a".
        #expect(bullets.map(\.text) == ["1", "2", "a", "b", "i"])
        #expect(bullets.map(\.x) == [100, 100, 118, 118, 136])
        #expect(bullets.map(\.y) == [388, 376, 376, 364, 364])
    }

    @Test func listSplitsAcrossFramesItemByItemInOrder() throws {
        // Two 60 pt frames: five 12 pt items fit in each.
        let rml = """
        <document>
          <template pagesize="(600, 800)">
            <pageTemplate id="main">
              <frame id="a" x1="100" y1="500" width="200" height="60"/>
              <frame id="b" x1="300" y1="500" width="200" height="60"/>
            </pageTemplate>
          </template>
          <story><ol>\(items(12))</ol></story>
        </document>
        """
        let (pages, _) = try layout(rml)
        #expect(pages.count == 2)
        let first = split(pages[0])
        #expect(first.items.map(\.text) == (1...10).map { "Item \($0)" })
        #expect(first.bullets.map(\.text) == (1...10).map(String.init))
        #expect(first.items.prefix(5).allSatisfy { $0.x == 118 })
        #expect(first.items.suffix(5).allSatisfy { $0.x == 318 })
        #expect(first.items[5].y == 550)   // top of the second frame
        let second = split(pages[1])
        #expect(second.items.map(\.text) == ["Item 11", "Item 12"])
        #expect(second.bullets.map(\.text) == ["11", "12"])
    }

    @Test func longItemSplitsInsideAndKeepsItsBulletOnTheFirstPart() throws {
        // 40 one-word lines in a 300 pt frame (25 lines): the item breaks inside its paragraph.
        let words = (1...40).map { "word\($0)" }.joined(separator: " ")
        let story = #"<ul><li><para>\#(words)</para></li><li><para>after</para></li></ul>"#
        let narrow = singleFrame(story).replacingOccurrences(of: #"width="200""#, with: #"width="60""#)
        let (pages, _) = try layout(narrow)
        #expect(pages.count == 2)
        let p1 = split(pages[0]), p2 = split(pages[1])
        #expect(p1.bullets.count == 1)
        #expect(p1.items.count == 25)
        #expect(p2.items.first?.text == "word26")
        #expect(p2.items.first?.y == 390)
        #expect(p2.items.last?.text == "after")
        #expect(p2.bullets.count == 1)   // only the second item's bullet
    }

    @Test func textDirectlyInAnItemIsIgnoredWithAWarning() throws {
        let (pages, diagnostics) = try layout(singleFrame("<ol><li>loose text</li><li><para>kept</para></li></ol>"))
        #expect(split(pages[0]).items.map(\.text) == ["kept"])
        #expect(split(pages[0]).bullets.map(\.text) == ["1"])
        #expect(diagnostics.contains { $0.message.contains("<li>") })
    }

    @Test func keepTogetherInsideAnItem() throws {
        let story = """
        <ol><li><keepTogether><para>a</para><para>b</para></keepTogether></li><li><para>c</para></li></ol>
        """
        let (bullets, texts) = split(try layout(singleFrame(story)).pages[0])
        #expect(texts == [DrawnText(text: "a", x: 118, y: 390), DrawnText(text: "b", x: 118, y: 378),
                          DrawnText(text: "c", x: 118, y: 366)])
        #expect(bullets.map(\.text) == ["1", "2"])
        // Near the bottom of a frame the kept item moves to the next frame whole, with its bullet.
        let filler = (1...24).map { "<para>f\($0)</para>" }.joined()
        let (pages, _) = try layout(singleFrame(filler + story))
        #expect(pages.count == 2)
        #expect(split(pages[1]).items.map(\.text) == ["a", "b", "c"])
        #expect(split(pages[1]).bullets.map(\.text) == ["1", "2"])
    }

    @Test func definitionListIndentsDefinitions() throws {
        let story = #"<dl leftIndent="30"><dt>Term</dt><dd>Meaning</dd></dl>"#
        let texts = split(try layout(singleFrame(story)).pages[0]).items
        #expect(texts == [DrawnText(text: "Term", x: 100, y: 390), DrawnText(text: "Meaning", x: 130, y: 378)])
    }

    // MARK: pto and imageAndFlowables

    @Test func ptoAddsTrailerAndHeaderWhereItSplits() throws {
        let body = (1...30).map { "<para>Line \($0)</para>" }.joined()
        let story = "<pto><pto_trailer><para>PTO</para></pto_trailer><pto_header><para>cont.</para></pto_header>\(body)</pto>"
        let (pages, _) = try layout(singleFrame(story))
        #expect(pages.count == 2)
        let t1 = pages[0].texts.map(\.text), t2 = pages[1].texts.map(\.text)
        // 25 lines per frame; as in ReportLab the content and trailer must stay strictly below the
        // frame height, so 23 lines and the trailer, then the header and the rest.
        #expect(t1 == (1...23).map { "Line \($0)" } + ["PTO"])
        #expect(t2 == ["cont."] + (24...30).map { "Line \($0)" })
    }

    @Test func ptoThatFitsHasNoTrailer() throws {
        let story = "<pto><pto_trailer><para>PTO</para></pto_trailer><para>short</para></pto>"
        #expect(try layout(singleFrame(story)).pages[0].texts.map(\.text) == ["short"])
    }

    /// A 40 × 40 PNG header (enough to measure; the layout does not decode images).
    private let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACgAAAAoCAIAAAA="

    @Test func textWrapsBesideTheImageThenContinuesAtFullWidth() throws {
        let words = Array(repeating: "aaaa", count: 40).joined(separator: " ")
        let story = """
        <imageAndFlowables imageName="\(png)" imageWidth="40" imageHeight="36" imageSide="left">
          <para>\(words)</para>
        </imageAndFlowables>
        """
        let (pages, _) = try layout(singleFrame(story))
        let texts = pages[0].texts
        // Column beside the image: 200 - 40 - 3 (right padding) = 157 pt, six words a line; the image
        // block is 36 + 3 pt high, so the paragraph runs on to the 4th line, which passes below it.
        #expect(texts.map(\.x) == [143, 143, 143, 143, 100, 100])
        // (The block beside the image is a hair taller than its lines, as platypus's fuzz makes it.)
        #expect(texts.map { ($0.y * 1000).rounded() / 1000 } == [390, 378, 366, 354, 342, 330])
        #expect(texts.map { $0.text.split(separator: " ").count } == [6, 6, 6, 6, 8, 8])
        let images: [Rect] = pages[0].ops.compactMap { if case .image(_, let r) = $0 { return r }; return nil }
        #expect(images == [Rect(x: 100, y: 364, width: 40, height: 36)])
    }

    @Test func imageAndFlowablesSplitsAcrossPages() throws {
        let body = (1...30).map { "<para>Line \($0)</para>" }.joined()
        let story = """
        <imageAndFlowables imageName="\(png)" imageWidth="40" imageHeight="40" imageSide="right">\(body)</imageAndFlowables>
        """
        let (pages, _) = try layout(singleFrame(story))
        #expect(pages.count == 2)
        let all = pages.flatMap { $0.texts.map(\.text) }
        #expect(all == (1...30).map { "Line \($0)" })
        #expect(pages[0].texts.count > 20)
        #expect(pages[1].texts.first?.y == 390)
        let imageCounts = pages.map { $0.ops.filter { if case .image = $0 { return true }; return false }.count }
        #expect(imageCounts == [1, 0])
    }

    @Test func reflowedParagraphContinuesWithTheRestOfItsText() {
        var t = StyledText()
        let style = InlineStyle(face: FontFace(family: "Helvetica"), size: 10, color: .black)
        t.append("alpha beta ", style)
        t.append("gamma", style)
        #expect(ReflowParagraph.text(t, afterNonWhitespace: 9)?.text == "gamma")
        #expect(ReflowParagraph.text(t, afterNonWhitespace: 7)?.text == "ta gamma")
    }
}
