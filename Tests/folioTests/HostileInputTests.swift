import Foundation
import Testing

/// Absurd and hostile values must end in a PDF or a located error, never a crash or a hang.
@Suite struct HostileInputTests {
    static let values = ["0", "-5", "1e300", "nan", "inf", "1e9", "0.0001", "abc", ""]

    static func document(_ v: String, frame: String, font: String) -> String {
        """
        <document><template pagesize="(\(frame), \(frame))"><pageTemplate id="p"><pageGraphics>
        <setFont name="Helvetica" size="\(font)"/><drawString x="\(v)" y="\(v)">x <pageNumber/></drawString>
        <rect x="\(v)" y="1" width="\(v)" height="\(v)" round="\(v)"/><lineMode width="\(v)" dash="\(v),\(v)"/>
        <circle x="1" y="1" radius="\(v)"/></pageGraphics>
        <frame id="f" x1="\(v)" y1="10" width="\(frame)" height="\(frame)"/></pageTemplate></template>
        <stylesheet><paraStyle name="s" fontSize="\(font)" leading="\(font)" firstLineIndent="\(v)" spaceBefore="\(v)" leftIndent="\(v)"/></stylesheet>
        <story><para style="s">Hello world this is text <font size="\(font)">big</font> <super>x</super></para>
        <spacer length="\(v)"/><keepInFrame maxWidth="\(v)" maxHeight="\(v)"><para>a b c</para></keepInFrame>
        <barCodeFlowable code="QR" value="x" width="\(v)"/><hr width="\(v)" thickness="\(v)"/>
        <illustration width="\(v)" height="\(v)"><rect x="0" y="0" width="1" height="1"/></illustration>
        <blockTable colWidths="\(v),\(v)" rowHeights="\(v)"><tr><td>a</td><td><para>b</para></td></tr></blockTable>
        <keepTogether><para>k</para></keepTogether><condPageBreak height="\(v)"/>
        <indent left="\(v)" right="\(v)"><para>i</para></indent></story></document>
        """
    }

    @Test(arguments: values)
    func absurdValuesNeverCrash(_ v: String) throws {
        let dir = try CLI.temporaryDirectory()
        for (frame, font) in [("0", "0"), ("-10", "-3"), ("1e300", "1e9"), ("5", "10"), ("400", "12")] {
            let input = dir + "/in.rml"
            try Self.document(v, frame: frame, font: font).write(toFile: input, atomically: true, encoding: .utf8)
            let r = try CLI.folio(["render", input, "-o", dir + "/out.pdf"])
            #expect(r.status == 0 || r.status == 1, "value \(v), frame \(frame), font \(font): status \(r.status)\n\(r.stderr.suffix(400))")
            #expect(!r.stderr.contains("Fatal error"), "value \(v): \(r.stderr.suffix(400))")
        }
    }

    @Test func deeplyNestedMarkupIsHandled() throws {
        let dir = try CLI.temporaryDirectory()
        let depth = 2000
        let doc = "<document><story><para>" + String(repeating: "<b>", count: depth) + "deep"
            + String(repeating: "</b>", count: depth) + "</para></story></document>"
        try doc.write(toFile: dir + "/in.rml", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", dir + "/in.rml", "-o", dir + "/out.pdf"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr.suffix(300))")
    }

    @Test func entityExpansionIsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE document [\n<!ENTITY a \"aaaaaaaaaa\">\n"
        var prev = "a"
        for i in 1...10 {
            doc += "<!ENTITY e\(i) \"" + String(repeating: "&\(prev);", count: 10) + "\">\n"
            prev = "e\(i)"
        }
        doc += "]>\n<document><story><para>&\(prev);</para></story></document>"
        try doc.write(toFile: dir + "/in.rml", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", dir + "/in.rml", "-o", dir + "/out.pdf"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("in.rml:"), "\(r.stderr.suffix(300))")
    }
}
