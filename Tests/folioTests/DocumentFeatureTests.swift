import Foundation
import Testing

/// PDF features a reader sees beyond the page content: metadata, outlines, links, fonts.
@Suite struct DocumentFeatureTests {
    func render(_ rml: String, extra: [String] = []) throws -> (pdf: String, result: CLI.Result) {
        let dir = try CLI.temporaryDirectory()
        try rml.write(toFile: dir + "/in.rml", atomically: true, encoding: .utf8)
        let pdf = dir + "/out.pdf"
        let r = try CLI.folio(["render", dir + "/in.rml", "-o", pdf] + extra)
        return (pdf, r)
    }

    func document(_ story: String, template: String = "", docinit: String = "") -> String {
        """
        <document><docinit>\(docinit)</docinit>
        <template \(template)><pageTemplate id="p"><frame id="f" x1="72" y1="72" width="451" height="698"/></pageTemplate></template>
        <story>\(story)</story></document>
        """
    }

    @Test func metadataComesFromTheTemplate() throws {
        let (pdf, r) = try render(document("<para>x</para>", template: #"title="Quarterly Ledger" author="Accounts" subject="Q1""#))
        #expect(r.status == 0, "\(r.stderr)")
        let info = try CLI.run("pdfinfo", [pdf]).stdout
        #expect(info.contains("Quarterly Ledger"))
        #expect(info.contains("Accounts"))
        #expect(info.contains("Q1"))
    }

    @Test func fontsAreEmbeddedSubsets() throws {
        let (pdf, _) = try render(document("<para>Plain <b>bold</b> <font name=\"Courier\">mono</font></para>"))
        let fonts = try CLI.run("pdffonts", [pdf]).stdout
        #expect(fonts.contains("LiberationSans"))
        #expect(fonts.contains("LiberationSans-Bold"))
        #expect(fonts.contains("LiberationMono"))
        for line in fonts.split(separator: "\n").dropFirst(2) {
            let cols = line.split(separator: " ")
            #expect(cols.first?.contains("+") == true, "not a subset: \(line)")
        }
    }

    @Test func outlinesAndLinksReachThePDF() throws {
        let story = """
        <outlineAdd>Chapter One</outlineAdd><para>Go to <a href="https://example.org/folio">the site</a>.</para>
        <nextPage/><outlineAdd level="1">Section A</outlineAdd><para>Second</para>
        """
        let (pdf, r) = try render(document(story))
        #expect(r.status == 0, "\(r.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: pdf))
        let raw = String(decoding: bytes, as: UTF8.self)
        #expect(raw.contains("/Outlines"))
        #expect(raw.contains("Chapter One") && raw.contains("Section A"))
        #expect(raw.contains("https://example.org/folio"))
    }

    @Test func registeredTrueTypeFontIsUsedUnderItsRMLName() throws {
        let font = CLI.packageRoot.path + "/fonts/DejaVuSans-Bold.ttf"
        let (pdf, r) = try render(document(#"<para fontName="Heavy">registered</para>"#,
                                           docinit: "<registerTTFont faceName=\"Heavy\" fileName=\"\(font)\"/>"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.run("pdffonts", [pdf]).stdout.contains("DejaVuSans-Bold"))
    }

    @Test func charactersNoFontHasAreListedInAWarning() throws {
        // U+10000 (Linear B) is in none of the bundled fonts.
        let (_, r) = try render(document("<para>Linear B: \u{10000}</para>"))
        #expect(r.status == 0)
        #expect(r.stderr.contains("no font has a glyph for") && r.stderr.contains("U+10000"), "\(r.stderr)")
        #expect(r.stderr.contains("in.rml:3:"), "\(r.stderr)")
    }

    @Test func missingFontFileIsALocatedWarning() throws {
        let (_, r) = try render(document("<para>x</para>", docinit: #"<registerTTFont faceName="X" fileName="nope.ttf"/>"#))
        #expect(r.status == 0)
        #expect(r.stderr.contains("in.rml:1:") && r.stderr.contains("font file 'nope.ttf' not found"), "\(r.stderr)")
    }

    @Test func openERPDialectDocumentsRender() throws {
        let rml = """
        <document><template pageSize="(595.0,842.0)" title="Picking"><pageTemplate id="first">
        <frame id="first" x1="57.0" y1="57.0" width="481" height="728"/>
        <pageGraphics><drawRightString x="538" y="40">Page <pageNumber/> / <pageCount/></drawRightString></pageGraphics>
        </pageTemplate></template>
        <images><image name="dot">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==</image></images>
        <story><section><para>Packing list</para><image name="dot" width="10" height="10"/></section>
        <nextPage/><para>More</para></story></document>
        """
        let (pdf, r) = try render(rml)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.text(pdf, page: 1).contains("Page 1 / 2"))
        #expect(try CLI.text(pdf, page: 2).contains("Page 2 / 2"))
        #expect(!r.stderr.contains("not found"), "\(r.stderr)")
    }
}
