import Foundation
import Testing
@testable import FolioRML

@Suite struct ParserTests {
    func parse(_ s: String, strict: Bool = false) throws(RMLError) -> (RMLDocument, DiagnosticSink) {
        let sink = DiagnosticSink(strict: strict)
        return (try RMLParser(fileName: "in.rml").parse(Data(s.utf8), diagnostics: sink), sink)
    }

    @Test func elementsKeepFileLineAndColumn() throws {
        let (doc, _) = try parse("""
        <document>
          <story>
            <para>a</para>  <para>b</para>
          </story>
        </document>
        """)
        let paras = doc.story!.elements
        #expect(paras.map(\.location) == [
            SourceLocation(file: "in.rml", line: 3, column: 5),
            SourceLocation(file: "in.rml", line: 3, column: 21),
        ])
        #expect(paras.map(\.text) == ["a", "b"])
    }

    @Test func multiLineStartTagsPointAtTheirFirstLine() throws {
        let (doc, _) = try parse("<document>\n<story>\n  <para\n     style=\"x\">t</para></story></document>")
        #expect(doc.story!.elements[0].location.line == 3)
        #expect(doc.story!.elements[0].location.column == 3)
    }

    @Test func malformedXMLFailsWithItsLocation() {
        #expect {
            _ = try parse("<document>\n<story>\n<para>unclosed\n</story></document>")
        } throws: { error in
            guard let e = error as? RMLError, let loc = e.location else { return false }
            return loc.file == "in.rml" && loc.line == 4 && loc.column > 1 && e.message.contains("mismatch")
        }
    }

    @Test func unknownElementsAndAttributesWarnWithLocation() throws {
        let (_, sink) = try parse("<document>\n  <story><para bogus=\"1\">x</para><frobnicate/></story></document>")
        let messages = sink.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("in.rml:2:10: warning: unknown attribute 'bogus'") })
        #expect(messages.contains { $0.hasPrefix("in.rml:2:34: warning: unknown element <frobnicate>") })
    }

    @Test func strictModeTurnsWarningsIntoErrors() {
        #expect(throws: RMLError.self) { _ = try parse("<document><frobnicate/></document>", strict: true) }
    }

    @Test func namespacedAttributesAreIgnored() throws {
        let (doc, sink) = try parse(#"<document xmlns:doc="urn:x"><story doc:example="">x</story></document>"#)
        #expect(sink.diagnostics.isEmpty)
        #expect(doc.story!.attributes.isEmpty)
    }

    @Test func externalEntitiesAreNeverLoaded() {
        let xxe = """
        <?xml version="1.0"?>
        <!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <document><story><para>&x;</para></story></document>
        """
        do {
            let (doc, _) = try parse(xxe)
            #expect(!doc.root.text.contains("root:"))
        } catch {
            #expect(error.location != nil)
        }
    }

    @Test func rootMustBeDocument() {
        #expect(throws: RMLError.self) { _ = try parse("<html/>") }
    }

    @Test func lengthsAndColours() {
        #expect(RMLValue.length("1in") == 72)
        #expect(abs(RMLValue.length("2.54cm")! - 72) < 1e-9)
        #expect(abs(RMLValue.length("25.4 mm")! - 72) < 1e-9)
        #expect(RMLValue.length("12") == 12)
        #expect(RMLValue.length("wide") == nil)
        #expect(Color.parse("red") == Color(red: 1, green: 0, blue: 0))
        #expect(Color.parse("#00ff00") == Color(red: 0, green: 1, blue: 0))
        #expect(Color.parse("(0, 0, 1)") == Color(red: 0, green: 0, blue: 1))
        #expect(Color.parse("cmyk(0,0,0,1)") == Color(red: 0, green: 0, blue: 0))
        #expect(Color.parse("lightred") == nil)
        // OpenERP reports use names ReportLab lacks: approximate them from the base colour.
        #expect(Color.approximate("lightred") == Color(red: 1, green: 0.5, blue: 0.5))
        #expect(Color.approximate("no-such") == .black)
        #expect(RMLValue.bool("1") == true && RMLValue.bool("false") == false)
    }
}
