import Foundation
import Testing
@testable import FolioReports

@Suite("Posted JSON → data XML")
struct DataJSONTests {
    func xml(_ json: String, root: String = "data") throws -> String {
        let data = try JSONToXML.convert(Data(json.utf8), rootName: root)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"))
        _ = try DataTestTree.parse(data)  // well-formed
        return String(text.dropFirst("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".count)).trimmingCharacters(in: .newlines)
    }

    @Test func objectsArraysAndScalars() throws {
        #expect(try xml(#"{"invoice": {"number": "INV/001", "lines": [{"qty": 2}, {"qty": 1.50}], "paid": false, "note": null}}"#) ==
                "<data><invoice><number>INV/001</number><lines><qty>2</qty></lines><lines><qty>1.50</qty></lines><paid>false</paid><note null=\"true\"/></invoice></data>")
        #expect(try xml(#"[1, "two", true, null]"#) == "<data><item>1</item><item>two</item><item>true</item><item null=\"true\"/></data>")
        #expect(try xml(#"{"m": [[1, 2], [3]]}"#) == "<data><m><item>1</item><item>2</item></m><m><item>3</item></m></data>")
        #expect(try xml(#"[[1]]"#) == "<data><item><item>1</item></item></data>")
        #expect(try xml(#"{"empty": [], "obj": {}}"#) == "<data><obj/></data>")
        #expect(try xml(#""just text""#) == "<data>just text</data>")
        #expect(try xml("null") == "<data null=\"true\"/>")
        #expect(try xml(#"{"a": 1}"#, root: "report") == "<report><a>1</a></report>")
    }

    @Test func numbersAreWrittenAsInTheJSON() throws {
        #expect(try xml(#"[1.10, -0, 1e3, 2E-7, 12345678901234567890123]"#) ==
                "<data><item>1.10</item><item>-0</item><item>1e3</item><item>2E-7</item><item>12345678901234567890123</item></data>")
    }

    @Test func keysAreSanitisedAndKept() throws {
        #expect(try xml(#"{"2nd total": 5, "a:b": 1, "": 0, "xmlThing": 1, "Ünïcode": "ok", "with<>&\"": 2}"#) ==
                "<data><_2nd_total key=\"2nd total\">5</_2nd_total><a_b key=\"a:b\">1</a_b><_ key=\"\">0</_>" +
                "<_xmlThing key=\"xmlThing\">1</_xmlThing><Ünïcode>ok</Ünïcode><with____ key=\"with&lt;&gt;&amp;&quot;\">2</with____></data>")
        #expect(try xml(#"{"my list": [1, 2]}"#) == "<data><my_list key=\"my list\">1</my_list><my_list key=\"my list\">2</my_list></data>")
        // Member order and duplicates are kept.
        #expect(try xml(#"{"b": 1, "a": 2, "b": 3}"#) == "<data><b>1</b><a>2</a><b>3</b></data>")
    }

    @Test func textIsEscapedAndMadeXMLSafe() throws {
        #expect(try xml(#"{"t": "a < b && c > d ]]> \"q\" 'x'"}"#) == "<data><t>a &lt; b &amp;&amp; c &gt; d ]]&gt; \"q\" 'x'</t></data>")
        #expect(try xml(#"{"t": "tab\tline\nret\r bell\u0007 nul\u0000 é \ud83d\ude00"}"#) ==
                "<data><t>tab\tline\nret&#13; bell\u{FFFD} nul\u{FFFD} é 😀</t></data>")
        #expect(try xml(#"{"t": "lone \udc00 surrogate"}"#) == "<data><t>lone \u{FFFD} surrogate</t></data>")
        #expect(try xml(#"{"t": "</t><injected/>"}"#) == "<data><t>&lt;/t&gt;&lt;injected/&gt;</t></data>")
    }

    @Test func invalidJSONIsAnErrorWithItsPlace() throws {
        for bad in ["", "{", "{\"a\" 1}", "[1,]", "{'a': 1}", "01", "1.", "NaN", "[1] x", "\"\u{01}\"", "{\"a\":1,}", "tru"] {
            #expect(throws: ReportError.self, "\(bad)") { try JSONToXML.convert(Data(bad.utf8)) }
        }
        let e = try #require(throws: ReportError.self) { try JSONToXML.convert(Data("{\n  \"a\": [1,\n    2,, 3]\n}".utf8)) }
        #expect(e.kind == .data)
        #expect(e.location?.line == 3 && e.location?.column == 7)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: ReportError.self) { try JSONToXML.convert(Data(deep.utf8)) }
        #expect(throws: ReportError.self) { try JSONToXML.convert(Data("{}".utf8), rootName: "1bad") }
        #expect(throws: ReportError.self) { try JSONToXML.convert(Data([0x22, 0xFF, 0x22])) }
    }

    @Test func aCorporateHeaderCanBeAdded() throws {
        var root = try JSONToXML.element(Data(#"{"a": 1}"#.utf8))
        root.insertCorporateHeader(CorporateInfo(name: "Tiny sprl").element)
        let tree = try DataTestTree.parse(root.xmlData())
        #expect(tree.children.map(\.name) == ["corporate-header", "a"])
    }
}
