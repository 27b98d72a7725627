import Foundation
import Testing

/// `folio render --xsl … --data …`: data (XML or JSON) through a stylesheet to RML, then PDF.
@Suite struct XSLRenderTests {
    static let stylesheet = """
    <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:param name="title" select="'Default title'"/>
      <xsl:template match="/">
        <document><template><pageTemplate id="p"><frame id="f" x1="72" y1="72" width="451" height="698"/></pageTemplate></template>
          <story><para><xsl:value-of select="$title"/></para>
            <xsl:for-each select="//line"><para>Line <xsl:value-of select="name"/></para></xsl:for-each>
          </story></document>
      </xsl:template>
    </xsl:stylesheet>
    """

    func setUp() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try Self.stylesheet.write(toFile: dir + "/report.xsl", atomically: true, encoding: .utf8)
        try "<data><line><name>alpha</name></line><line><name>beta</name></line></data>"
            .write(toFile: dir + "/data.xml", atomically: true, encoding: .utf8)
        try #"{"line": [{"name": "gamma"}, {"name": "delta"}]}"#.write(toFile: dir + "/data.json", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func xmlDataRendersWithParameters() throws {
        let dir = try setUp()
        let r = try CLI.folio(["render", "--xsl", dir + "/report.xsl", "--data", dir + "/data.xml",
                               "--param", "title=Sales 2025", "-o", dir + "/out.pdf"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try CLI.text(dir + "/out.pdf")
        #expect(text.contains("Sales 2025") && text.contains("Line alpha") && text.contains("Line beta"))
    }

    @Test func jsonDataIsMappedToXML() throws {
        let dir = try setUp()
        let r = try CLI.folio(["render", "--xsl", dir + "/report.xsl", "--data", dir + "/data.json", "-o", dir + "/out.pdf"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.text(dir + "/out.pdf").contains("Line gamma"))
    }

    @Test func formatsRMLAndRaw() throws {
        let dir = try setUp()
        #expect(try CLI.folio(["render", "--xsl", dir + "/report.xsl", "--data", dir + "/data.json", "--format", "raw", "-o", dir + "/raw.xml"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/raw.xml", encoding: .utf8).contains("<name>gamma</name>"))
        #expect(try CLI.folio(["render", "--xsl", dir + "/report.xsl", "--data", dir + "/data.xml", "--format", "rml", "-o", dir + "/out.rml"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/out.rml", encoding: .utf8).contains("<para>Line alpha</para>"))
    }

    @Test func stylesheetErrorsNameTheStylesheetLine() throws {
        let dir = try setUp()
        try Self.stylesheet.replacingOccurrences(of: "select=\"name\"", with: "select=\"name(((\"")
            .write(toFile: dir + "/bad.xsl", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", "--xsl", dir + "/bad.xsl", "--data", dir + "/data.xml", "-o", dir + "/out.pdf"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.xsl:"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.pdf"))
    }

    @Test func stylesheetCannotReadOutsideItsFolder() throws {
        let dir = try setUp()
        try Self.stylesheet.replacingOccurrences(of: "select=\"$title\"", with: "select=\"document('/etc/passwd')\"")
            .write(toFile: dir + "/leak.xsl", atomically: true, encoding: .utf8)
        let r = try CLI.folio(["render", "--xsl", dir + "/leak.xsl", "--data", dir + "/data.xml", "--format", "rml", "-o", dir + "/out.rml"])
        let out = (try? String(contentsOfFile: dir + "/out.rml", encoding: .utf8)) ?? ""
        #expect(!out.contains("root:"), "passwd leaked: \(r.stderr)")
    }
}
