import Testing
import FolioLayout
import FolioRML

@Suite struct FrameFlowTests {
    @Test func firstBaselineIsOneFontSizeBelowFrameTop() throws {
        let (pages, _) = try layout(singleFrame(#"<para fontSize="10" leading="12">Hello</para>"#))
        #expect(pages.count == 1)
        // Frame top is 400 (no padding in the z3c.rml dialect); baseline = 400 - fontSize.
        #expect(pages[0].texts == [DrawnText(text: "Hello", x: 100, y: 390)])
    }

    @Test func openERPDialectPadsFramesBySixPoints() throws {
        let rml = singleFrame("<para>Hello</para>").replacingOccurrences(of: "pagesize=", with: "pageSize=")
        let (pages, _) = try layout(rml)
        #expect(pages[0].texts.first == DrawnText(text: "Hello", x: 106, y: 384))
    }

    @Test func gapBetweenFlowablesIsTheLargerSpace() throws {
        let story = """
        <para spaceAfter="10">One</para>
        <para spaceBefore="6">Two</para>
        <para spaceBefore="20">Three</para>
        """
        let texts = try layout(singleFrame(story)).pages[0].texts
        // One: 390; its box bottom 388; gap max(10, 6) = 10 → Two's top 378, baseline 368.
        #expect(texts.map(\.y) == [390, 368, 336])
    }

    @Test func spaceBeforeIsIgnoredAtTheTopOfAFrame() throws {
        let texts = try layout(singleFrame(#"<para spaceBefore="50">Top</para>"#)).pages[0].texts
        #expect(texts[0].y == 390)
    }

    @Test func longParagraphSplitsAcrossPagesByLine() throws {
        // 4-char words at 5 pt per char: "wwww " ... 8 words (39 chars = 195 pt) fit a 200 pt line.
        let words = Array(repeating: "wwww", count: 8 * 30).joined(separator: " ")
        let (pages, _) = try layout(singleFrame("<para fontSize=\"10\" leading=\"12\">\(words)</para>"))
        // 300 pt frame / 12 pt leading = 25 lines per page; 30 lines → 2 pages.
        #expect(pages.count == 2)
        #expect(pages[0].texts.count == 25)
        #expect(pages[1].texts.count == 5)
        #expect(pages[1].texts[0].y == 390)
    }

    @Test func alignmentAndIndents() throws {
        let story = """
        <para alignment="right">ab</para>
        <para alignment="center">ab</para>
        <para leftIndent="20" firstLineIndent="10">ab</para>
        """
        let texts = try layout(singleFrame(story)).pages[0].texts
        #expect(texts.map(\.x) == [290, 195, 130])
    }

    @Test func pageXOfYIsCorrectOnEveryPage() throws {
        let graphics = #"<drawString x="10" y="10">Page <pageNumber/> of <pageCount/></drawString>"#
        let story = #"<para>a</para><nextPage/><para>b</para><nextPage/><para>c</para>"#
        let (pages, _) = try layout(singleFrame(story, graphics: graphics))
        #expect(pages.count == 3)
        for (i, p) in pages.enumerated() {
            #expect(p.texts.first?.text == "Page \(i + 1) of 3")
        }
    }

    @Test func namedStringDefinedLaterIsAvailableEarlier() throws {
        let story = #"<para>Total: <getName id="t" default="?"/></para><namedString id="t">42</namedString>"#
        let texts = try layout(singleFrame(story)).pages[0].texts
        #expect(texts[0].text == "Total: 42")
    }

    @Test func keepTogetherMovesTheGroupToTheNextFrame() throws {
        let story = """
        <spacer length="270"/>
        <keepTogether><para>one</para><para>two</para><para>three</para></keepTogether>
        """
        let (pages, _) = try layout(singleFrame(story))
        #expect(pages.count == 2)
        #expect(pages[0].texts.isEmpty)
        #expect(pages[1].texts.map(\.text) == ["one", "two", "three"])
    }

    @Test func condPageBreakStartsANewFrameWhenSpaceIsShort() throws {
        let story = #"<spacer length="250"/><condPageBreak height="100"/><para>x</para>"#
        let (pages, _) = try layout(singleFrame(story))
        #expect(pages.count == 2)
        #expect(pages[1].texts.first?.y == 390)
    }

    @Test func contentTallerThanAFrameOverflowsWithAWarningInsteadOfLooping() throws {
        let (pages, diagnostics) = try layout(singleFrame(#"<illustration width="10" height="500"/>"#))
        #expect(pages.count == 1)
        #expect(diagnostics.contains { $0.message.contains("too large") && $0.location?.line == 9 })
    }

    @Test func templatesSwitchWithSetNextTemplate() throws {
        let rml = """
        <document>
          <template pagesize="(600, 800)">
            <pageTemplate id="first"><frame id="a" x1="0" y1="0" width="600" height="800"/></pageTemplate>
            <pageTemplate id="second"><frame id="b" x1="50" y1="50" width="500" height="700"/></pageTemplate>
          </template>
          <story><para>p1</para><setNextTemplate name="second"/><nextPage/><para>p2</para></story>
        </document>
        """
        let pages = try layout(rml).pages
        #expect(pages.map { $0.texts.first?.x } == [0, 50])
    }

    @Test func pageGraphicsShapesUseRMLCoordinates() throws {
        let graphics = #"<rect x="10" y="20" width="30" height="40" fill="yes" stroke="no"/>"#
        let page = try layout(singleFrame("<para>x</para>", graphics: graphics)).pages[0]
        let paths = page.ops.compactMap { op -> [PathElement]? in
            if case .path(let p, let mode) = op, mode.fill { return p }
            return nil
        }
        #expect(paths.first == [.move(10, 20), .line(40, 20), .line(40, 60), .line(10, 60), .close])
    }
}
