import Foundation
import FolioRML
import Testing
@testable import FolioReports

/// A temporary folder (a report package) holding files written by a test.
final class XSLTScratch {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("folio-xslt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths compare with what libxslt reports.
        root = base.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `name` (relative to the root, folders created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// A stylesheet whose body (inside `xsl:stylesheet`) starts on line 3.
    @discardableResult
    func stylesheet(_ name: String, _ body: String, extraNamespaces: String = "", version: String = "1.0") throws -> String {
        try write(name, """
            <?xml version="1.0"?>
            <xsl:stylesheet version="\(version)" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"\(extraNamespaces)>
            \(body)
            </xsl:stylesheet>
            """)
    }
}

func xsltData(_ xml: String, _ name: String = "data.xml") throws(ReportError) -> XMLDocument {
    try XMLDocument.parse(Data(xml.utf8), fileName: name)
}

func xsltString(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

/// Runs `body`, expecting a ReportError.
func xsltExpectError(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ReportError? {
    do {
        try body()
        Issue.record("expected an error", sourceLocation: sourceLocation)
        return nil
    } catch let error as ReportError {
        return error
    } catch {
        Issue.record("not a ReportError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite struct XSLTTests {
    // MARK: parameters, output

    @Test func parametersReachTheStylesheetAsLiteralStrings() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("p.xsl", """
            <xsl:param name="who" select="'nobody'"/>
            <xsl:param name="n"/>
            <xsl:template match="/"><out n="{$n}"><xsl:value-of select="$who"/></out></xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let doc = try xsltData("<a/>")
        let tricky = #"O'Brien said "1+1" & <left>"#
        let out = xsltString(try XSLTTransformer.transform(style, doc, parameters: ["who": tricky, "n": "1+1"]))
        #expect(out.contains("O'Brien said \"1+1\" &amp; &lt;left&gt;"), "\(out)")
        #expect(out.contains(#"n="1+1""#), "parameters are strings, not XPath: \(out)")
        let defaults = xsltString(try XSLTTransformer.transform(style, doc))
        #expect(defaults.contains("<out n=\"\">nobody</out>"), "\(defaults)")

        let bad = xsltExpectError { _ = try XSLTTransformer.transform(style, doc, parameters: ["a b": "x"]) }
        #expect(bad?.kind == .data)
    }

    @Test func outputHonoursTheDeclaredEncoding() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("e.xsl", """
            <xsl:output method="xml" encoding="ISO-8859-1"/>
            <xsl:template match="/"><out>Chaussée</out></xsl:template>
            """)
        let out = try XSLTTransformer.transform(try Stylesheet.compile(at: path, sandbox: s.root), try xsltData("<a/>"))
        #expect(xsltString(out.prefix(60)).contains("encoding=\"ISO-8859-1\""))
        #expect(out.contains(0xE9), "é in Latin-1")
    }

    // MARK: errors with places

    @Test func anXPathSyntaxErrorNamesTheStylesheetLine() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("x.xsl", """
            <xsl:template match="/">
              <out>
                <xsl:value-of select="1 +* 2"/>
              </out>
            </xsl:template>
            """)
        let e = xsltExpectError { _ = try Stylesheet.compile(at: path, sandbox: s.root) }
        #expect(e?.kind == .stylesheet)
        #expect(e?.location?.file == path)
        #expect(e?.location?.line == 5, "\(String(describing: e))")
        #expect(e?.message.contains("1 +* 2") == true, "\(String(describing: e))")
    }

    @Test func aRuntimeXPathErrorNamesTheStylesheetLine() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("r.xsl", """
            <xsl:template match="/">
              <out>
                <xsl:value-of select="no-such-function(1)"/>
              </out>
            </xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let e = xsltExpectError { _ = try XSLTTransformer.transform(style, try xsltData("<a/>")) }
        #expect(e?.kind == .stylesheet)
        #expect(e?.location?.file == path)
        #expect(e?.location?.line == 5, "\(String(describing: e))")
        #expect(e?.message.contains("no-such-function") == true || e?.message.contains("Unregistered function") == true,
                "\(String(describing: e))")
    }

    @Test func anUndefinedVariableNamesTheStylesheetLine() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("v.xsl", """
            <xsl:template match="/">
              <out>
                <xsl:value-of select="$nowhere"/>
              </out>
            </xsl:template>
            """)
        let e = xsltExpectError {
            let style = try Stylesheet.compile(at: path, sandbox: s.root)
            _ = try XSLTTransformer.transform(style, try xsltData("<a/>"))
        }
        #expect(e?.kind == .stylesheet)
        #expect(e?.location?.file == path)
        #expect(e?.location?.line == 5, "\(String(describing: e))")
        #expect(e?.message.contains("nowhere") == true, "\(String(describing: e))")
    }

    @Test func aBadStylesheetElementNamesItsLine() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("c.xsl", """
            <xsl:template match="/">
              <xsl:no-such-instruction/>
            </xsl:template>
            """)
        let e = xsltExpectError { _ = try Stylesheet.compile(at: path, sandbox: s.root) }
        #expect(e?.kind == .stylesheet)
        #expect(e?.location == SourceLocation(file: path, line: 4, column: 1), "\(String(describing: e))")
    }

    @Test func malformedStylesheetXMLNamesLineAndColumn() throws {
        let s = try XSLTScratch()
        let path = try s.write("m.xsl", "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n  <xsl:template match=\"/\">\n</xsl:stylesheet>\n")
        let e = xsltExpectError { _ = try Stylesheet.compile(at: path, sandbox: s.root) }
        #expect(e?.kind == .stylesheet)
        #expect(e?.location?.file == path)
        #expect(e?.location?.line == 3, "\(String(describing: e))")
    }

    @Test func messageTerminateFailsWithItsText() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("t.xsl", """
            <xsl:template match="/">
              <xsl:message>just saying</xsl:message>
              <xsl:message terminate="yes">Cannot print order <xsl:value-of select="/a/@id"/></xsl:message>
              <out/>
            </xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let e = xsltExpectError { _ = try XSLTTransformer.transform(style, try xsltData("<a id='SO042'/>")) }
        #expect(e?.kind == .stylesheet)
        #expect(e?.message.contains("Cannot print order SO042") == true, "\(String(describing: e))")
        #expect(e?.message.contains("just saying") == false)
        #expect(e?.location == SourceLocation(file: path, line: 5, column: 1), "\(String(describing: e))")
    }

    @Test func nonTerminatingMessagesAreReturned() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("m.xsl", """
            <xsl:template match="/"><xsl:message>hello <xsl:value-of select="name(*)"/></xsl:message><out/></xsl:template>
            """)
        let r = try XSLTTransformer.run(try Stylesheet.compile(at: path, sandbox: s.root), try xsltData("<root/>"))
        #expect(r.messages.map(\.message) == ["hello root"])
        #expect(r.messages.first?.channel == .message)
        #expect(r.messages.first?.location?.line == 3)
        #expect(xsltString(r.output).contains("<out/>"))
    }

    @Test func malformedDataNamesFileLineAndColumn() throws {
        let e = xsltExpectError { _ = try xsltData("<a>\n  <b>text</c>\n</a>\n", "orders.xml") }
        #expect(e?.kind == .data)
        #expect(e?.location?.file == "orders.xml")
        #expect(e?.location?.line == 2, "\(String(describing: e))")
        #expect((e?.location?.column ?? 0) > 1, "\(String(describing: e))")

        let empty = xsltExpectError { _ = try xsltData("", "empty.xml") }
        #expect(empty?.kind == .data)
        #expect(empty?.location?.file == "empty.xml")

        let missing = xsltExpectError { _ = try XMLDocument.parse(contentsOf: "/nonexistent/folio.xml") }
        #expect(missing?.kind == .notFound)
    }

    @Test func parsedDataSerializes() throws {
        let doc = try xsltData("<a x=\"1\"><b>é</b></a>")
        let text = xsltString(doc.serialized())
        #expect(text.contains("<a x=\"1\"><b>é</b></a>"), "\(text)")
    }

    // MARK: untrusted input

    @Test func externalEntitiesInDataAreRefused() throws {
        let s = try XSLTScratch()
        let secret = try s.write("outside/secret.txt", "TOP-SECRET-42")
        let path = try s.stylesheet("pkg/show.xsl", #"<xsl:template match="/"><out><xsl:value-of select="."/></out></xsl:template>"#)
        let style = try Stylesheet.compile(at: path, sandbox: s.root + "/pkg")
        for dtd in [
            "<!DOCTYPE a [<!ENTITY x SYSTEM \"file://\(secret)\">]><a>&x;</a>",
            "<!DOCTYPE a [<!ENTITY x SYSTEM \"/etc/passwd\">]><a>&x;</a>",
            "<!DOCTYPE a [<!ENTITY % p SYSTEM \"file://\(secret)\"> %p;]><a/>",
            "<!DOCTYPE a SYSTEM \"file://\(secret)\"><a>&x;</a>",
        ] {
            do {
                let doc = try xsltData(dtd)
                // If a document is accepted, the entity must not have been loaded.
                let out = xsltString(try XSLTTransformer.transform(style, doc))
                #expect(!out.contains("TOP-SECRET") && !out.contains("root:"), "\(out)")
            } catch {
                #expect(error.kind == .security || error.kind == .data, "\(error)")
                #expect(!error.description.contains("TOP-SECRET") && !error.description.contains("root:"))
            }
        }
        let e = xsltExpectError { _ = try xsltData("<!DOCTYPE a [<!ENTITY x SYSTEM \"file://\(secret)\">]><a>&x;</a>") }
        #expect(e?.kind == .security, "\(String(describing: e))")
    }

    @Test func entityExpansionBombsAreRefused() throws {
        var dtd = "<!DOCTYPE a [<!ENTITY e0 \"hahahahahahahahahaha\">"
        for i in 1...12 { dtd += "<!ENTITY e\(i) \"" + String(repeating: "&e\(i - 1);", count: 10) + "\">" }
        dtd += "]><a>&e12;</a>"
        let s = try XSLTScratch()
        let path = try s.stylesheet("show.xsl", #"<xsl:template match="/"><out><xsl:value-of select="string-length(.)"/></out></xsl:template>"#)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let started = Date()
        do {
            let doc = try xsltData(dtd)
            let out = xsltString(try XSLTTransformer.transform(style, doc, limits: { var l = TransformLimits(); l.timeout = 2; return l }()))
            Issue.record("a billion laughs went through: \(out.prefix(200))")
        } catch {
            #expect(error.kind == .data || error.kind == .limit, "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func documentReadsAreConfinedToThePackage() throws {
        let s = try XSLTScratch()
        try s.write("outside/secret.xml", "<secret>TOP-SECRET-42</secret>")
        try s.write("pkg/data/lookup.xml", "<lookup><v>inside-ok</v></lookup>")
        try s.write("pkg/link.xml", "") // replaced by a symlink below
        try FileManager.default.removeItem(atPath: s.root + "/pkg/link.xml")
        try FileManager.default.createSymbolicLink(atPath: s.root + "/pkg/link.xml", withDestinationPath: s.root + "/outside/secret.xml")
        let sandbox = s.root + "/pkg"
        let doc = try xsltData("<a/>", s.root + "/pkg/data.xml")

        let ok = try s.stylesheet("pkg/ok.xsl", #"<xsl:template match="/"><out><xsl:value-of select="document('data/lookup.xml')/lookup/v"/></out></xsl:template>"#)
        #expect(xsltString(try XSLTTransformer.transform(try Stylesheet.compile(at: ok, sandbox: sandbox), doc)).contains("inside-ok"))

        for href in ["/etc/passwd", "file:///etc/passwd", "../outside/secret.xml", s.root + "/outside/secret.xml",
                     "file://" + s.root + "/outside/secret.xml", "link.xml", "http://127.0.0.1:9/x.xml",
                     "https://example.com/x.xml", "ftp://example.com/x.xml"] {
            let path = try s.stylesheet("pkg/doc.xsl", """
                <xsl:template match="/">
                  <out><xsl:value-of select="document('\(href)')"/></out>
                </xsl:template>
                """)
            let style = try Stylesheet.compile(at: path, sandbox: sandbox)
            let e = xsltExpectError { _ = try XSLTTransformer.transform(style, doc) }
            #expect(e?.kind == .security, "\(href): \(String(describing: e))")
            #expect(e?.location?.file == path && e?.location?.line == 4, "\(href): \(String(describing: e))")
            #expect(e?.description.contains("TOP-SECRET") == false)
        }
    }

    @Test func importsAreConfinedToThePackage() throws {
        let s = try XSLTScratch()
        try s.stylesheet("outside.xsl", #"<xsl:template name="x"><secret/></xsl:template>"#)
        try s.stylesheet("pkg/base/common.xsl", #"<xsl:template name="x"><common/></xsl:template>"#)
        let sandbox = s.root + "/pkg"
        let inside = try s.stylesheet("pkg/report/r.xsl", """
            <xsl:import href="../base/common.xsl"/>
            <xsl:template match="/"><xsl:call-template name="x"/></xsl:template>
            """)
        let out = try XSLTTransformer.transform(try Stylesheet.compile(at: inside, sandbox: sandbox), try xsltData("<a/>"))
        #expect(xsltString(out).contains("<common/>"))

        for (kind, href) in [("import", "../../outside.xsl"), ("include", "../../outside.xsl"),
                             ("import", s.root + "/outside.xsl"), ("import", "http://127.0.0.1:9/x.xsl")] {
            let path = try s.stylesheet("pkg/report/bad.xsl", """
                <xsl:\(kind) href="\(href)"/>
                <xsl:template match="/"><out/></xsl:template>
                """)
            let e = xsltExpectError { _ = try Stylesheet.compile(at: path, sandbox: sandbox) }
            #expect(e?.kind == .security, "\(kind) \(href): \(String(describing: e))")
            #expect(e?.location == SourceLocation(file: path, line: 3, column: 1), "\(String(describing: e))")
        }
        // A symbolic link inside the package that points outside does not count as inside.
        try FileManager.default.createSymbolicLink(atPath: s.root + "/pkg/base/linked.xsl", withDestinationPath: s.root + "/outside.xsl")
        let viaLink = try s.stylesheet("pkg/report/link.xsl", """
            <xsl:import href="../base/linked.xsl"/>
            <xsl:template match="/"><out/></xsl:template>
            """)
        #expect(xsltExpectError { _ = try Stylesheet.compile(at: viaLink, sandbox: sandbox) }?.kind == .security)
        // External entities in a stylesheet are refused too.
        let xxe = try s.write("pkg/report/xxe.xsl", """
            <?xml version="1.0"?>
            <!DOCTYPE xsl:stylesheet [<!ENTITY secret SYSTEM "file://\(s.root)/outside.xsl">]>
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
            <xsl:template match="/"><out>&secret;</out></xsl:template>
            </xsl:stylesheet>
            """)
        let xxeError = xsltExpectError { _ = try Stylesheet.compile(at: xxe, sandbox: sandbox) }
        #expect(xxeError?.kind == .security || xxeError?.kind == .stylesheet, "\(String(describing: xxeError))")
        // The stylesheet itself must be inside the package.
        let e = xsltExpectError { _ = try Stylesheet.compile(at: s.root + "/outside.xsl", sandbox: sandbox) }
        #expect(e?.kind == .security)
    }

    @Test func fileWritesAreRefused() throws {
        let s = try XSLTScratch()
        let target = s.root + "/written.txt"
        let exsl = try s.stylesheet("w1.xsl", """
            <xsl:template match="/">
              <exsl:document href="\(target)" method="text">pwned</exsl:document><out/>
            </xsl:template>
            """, extraNamespaces: #" xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl""#)
        let xsl11 = try s.stylesheet("w2.xsl", """
            <xsl:template match="/">
              <xsl:document href="\(target)" method="text">pwned</xsl:document><out/>
            </xsl:template>
            """, version: "1.1")
        let dir = try s.stylesheet("w3.xsl", """
            <xsl:template match="/">
              <exsl:document href="\(s.root)/newdir/sub/x.txt" method="text">pwned</exsl:document><out/>
            </xsl:template>
            """, extraNamespaces: #" xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl""#)
        // XSLT 2.0's xsl:result-document is not supported by libxslt: in forwards-compatible mode it
        // is skipped, so nothing is written either.
        let xsl20 = try s.stylesheet("w4.xsl", """
            <xsl:template match="/">
              <xsl:result-document href="\(target)" method="text">pwned</xsl:result-document><out/>
            </xsl:template>
            """, version: "2.0")
        _ = try? XSLTTransformer.transform(try Stylesheet.compile(at: xsl20, sandbox: s.root), try xsltData("<a/>"))
        for path in [exsl, xsl11, dir] {
            let style = try Stylesheet.compile(at: path, sandbox: s.root)
            let e = xsltExpectError { _ = try XSLTTransformer.transform(style, try xsltData("<a/>")) }
            #expect(e?.kind == .security, "\(String(describing: e))")
            #expect(e?.location?.line == 4, "\(String(describing: e))")
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: s.root + "/newdir"))
    }

    // MARK: limits

    @Test func infiniteRecursionStopsAtTheDepthLimit() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("rec.xsl", """
            <xsl:template match="/"><out><xsl:call-template name="down"/></out></xsl:template>
            <xsl:template name="down">
              <xsl:param name="n" select="0"/>
              <x><xsl:call-template name="down"><xsl:with-param name="n" select="$n + 1"/></xsl:call-template></x>
            </xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        for depth in [1000, 20_000] {
            var limits = TransformLimits()
            limits.maxDepth = depth
            let e = xsltExpectError { _ = try XSLTTransformer.transform(style, try xsltData("<a/>"), limits: limits) }
            #expect(e?.kind == .limit, "\(String(describing: e))")
            #expect(e?.message.contains("\(depth)") == true, "\(String(describing: e))")
            #expect(e?.location?.file == path, "\(String(describing: e))")
        }
        // Legitimate recursion below the limit works.
        let finite = try s.stylesheet("fin.xsl", """
            <xsl:template match="/"><out><xsl:call-template name="down"/></out></xsl:template>
            <xsl:template name="down">
              <xsl:param name="n" select="0"/>
              <xsl:if test="$n &lt; 300"><xsl:call-template name="down"><xsl:with-param name="n" select="$n + 1"/></xsl:call-template></xsl:if>
              <xsl:if test="$n = 300">bottom</xsl:if>
            </xsl:template>
            """)
        #expect(xsltString(try XSLTTransformer.transform(try Stylesheet.compile(at: finite, sandbox: s.root), try xsltData("<a/>"))).contains("bottom"))
    }

    @Test func theWatchdogStopsLongTransformations() throws {
        let s = try XSLTScratch()
        let data = try xsltData("<r>" + String(repeating: "<x>1</x>", count: 2000) + "</r>")
        var limits = TransformLimits()
        limits.timeout = 0.3
        // A template loop (stopped by the engine's state check) and one huge XPath expression
        // (stopped by the XPath operation limit).
        let loops = try s.stylesheet("loop.xsl", """
            <xsl:template match="/"><out><xsl:for-each select="//x"><xsl:for-each select="//x"><xsl:for-each select="//x"><y/></xsl:for-each></xsl:for-each></xsl:for-each></out></xsl:template>
            """)
        let xpath = try s.stylesheet("xpath.xsl", """
            <xsl:template match="/"><out><xsl:value-of select="count(//x[count(//x[count(//x) &gt; 0]) &gt; 0])"/></out></xsl:template>
            """)
        for path in [loops, xpath] {
            let style = try Stylesheet.compile(at: path, sandbox: s.root)
            let started = Date()
            let e = xsltExpectError { _ = try XSLTTransformer.transform(style, data, limits: limits) }
            let elapsed = Date().timeIntervalSince(started)
            #expect(e?.kind == .limit, "\(String(describing: e))")
            #expect(e?.message.contains("longer than") == true, "\(String(describing: e))")
            #expect(elapsed < 2.5, "stopped after \(elapsed) s")
        }
        // The document is usable afterwards.
        let quick = try s.stylesheet("quick.xsl", #"<xsl:template match="/"><n><xsl:value-of select="count(//x)"/></n></xsl:template>"#)
        #expect(xsltString(try XSLTTransformer.transform(try Stylesheet.compile(at: quick, sandbox: s.root), data)).contains("<n>2000</n>"))
    }

    @Test func outputSizeIsBounded() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("big.xsl", """
            <xsl:template match="/"><out><xsl:for-each select="//x"><line>0123456789012345678901234567890123456789</line></xsl:for-each></out></xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let data = try xsltData("<r>" + String(repeating: "<x/>", count: 1000) + "</r>")
        var limits = TransformLimits()
        limits.maxOutputBytes = 10_000
        let e = xsltExpectError { _ = try XSLTTransformer.transform(style, data, limits: limits) }
        #expect(e?.kind == .limit, "\(String(describing: e))")
        limits.maxOutputBytes = 100_000
        #expect(try XSLTTransformer.transform(style, data, limits: limits).count > 50_000)
    }

    // MARK: cache, translation, EXSLT

    @Test func theCacheRecompilesOnlyWhatChanged() throws {
        let s = try XSLTScratch()
        try s.stylesheet("pkg/base/common.xsl", #"<xsl:template name="greet">hello</xsl:template>"#)
        let main = try s.stylesheet("pkg/report/main.xsl", """
            <xsl:import href="../base/common.xsl"/>
            <xsl:template match="/"><out><xsl:call-template name="greet"/></out></xsl:template>
            """)
        let sandbox = s.root + "/pkg"
        let cache = StylesheetCache()
        let doc = try xsltData("<a/>")
        let first = try cache.stylesheet(at: main, sandbox: sandbox)
        #expect(cache.compilations == 1)
        #expect(Set(first.files) == [main, s.root + "/pkg/base/common.xsl"])
        let again = try cache.stylesheet(at: main, sandbox: sandbox)
        #expect(again === first)
        #expect(cache.compilations == 1)
        #expect(xsltString(try XSLTTransformer.transform(again, doc)).contains("<out>hello</out>"))

        // An imported file changes: recompiled once, then cached again.
        try s.stylesheet("pkg/base/common.xsl", #"<xsl:template name="greet">bonjour tout le monde</xsl:template>"#)
        let third = try cache.stylesheet(at: main, sandbox: sandbox)
        #expect(cache.compilations == 2)
        #expect(third !== first)
        #expect(xsltString(try XSLTTransformer.transform(third, doc)).contains("bonjour tout le monde"))
        _ = try cache.stylesheet(at: main, sandbox: sandbox)
        #expect(cache.compilations == 2)
        // The old one still works for whoever holds it.
        #expect(xsltString(try XSLTTransformer.transform(first, doc)).contains("<out>hello</out>"))

        // The main file changes.
        try s.stylesheet("pkg/report/main.xsl", """
            <xsl:import href="../base/common.xsl"/>
            <xsl:template match="/"><out2><xsl:call-template name="greet"/></out2></xsl:template>
            """)
        let fourth = try cache.stylesheet(at: main, sandbox: sandbox)
        #expect(cache.compilations == 3)
        #expect(xsltString(try XSLTTransformer.transform(fourth, doc)).contains("<out2>"))
    }

    @Test func markedTextIsTranslatedBeforeCompiling() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("tr.xsl", """
            <xsl:template match="/">
              <doc>
                <para t="1">
                  Packing List
                </para>
                <para>Packing List</para>
                <blockTable t="1"><tr><td>Product</td><td><xsl:value-of select="/a"/> Qty</td></tr></blockTable>
              </doc>
            </xsl:template>
            """)
        let catalog = TranslationCatalog(entries: ["Packing List": "Liste de colisage", "Product": "Produit", "Qty": "Qté"])
        let cache = StylesheetCache()
        let doc = try xsltData("<a>3</a>")
        let fr = xsltString(try XSLTTransformer.transform(try cache.stylesheet(at: path, sandbox: s.root, language: "fr_FR", translations: catalog), doc))
        #expect(fr.contains("Liste de colisage"), "\(fr)")
        #expect(fr.contains("<para>Packing List</para>"), "unmarked text stays: \(fr)")
        #expect(fr.contains("<td>Produit</td>"), "marks are inherited: \(fr)")
        #expect(fr.contains("3 Qté"), "\(fr)")
        let plain = xsltString(try XSLTTransformer.transform(try cache.stylesheet(at: path, sandbox: s.root), doc))
        #expect(plain.contains("Packing List") && !plain.contains("Liste de colisage"))
        #expect(cache.compilations == 2)
        _ = try cache.stylesheet(at: path, sandbox: s.root, language: "fr_FR", translations: catalog)
        #expect(cache.compilations == 2)
        _ = try cache.stylesheet(at: path, sandbox: s.root, language: "fr_FR", translations: TranslationCatalog(entries: ["Product": "Article"]))
        #expect(cache.compilations == 3, "a new catalogue recompiles")
    }

    @Test func catalogsLoadFromPOAndJSON() throws {
        let s = try XSLTScratch()
        let po = try s.write("fr.po", #"""
            # French translation
            msgid ""
            msgstr ""
            "Content-Type: text/plain; charset=UTF-8\n"

            #: report/picking.xsl
            msgid "Packing List"
            msgstr "Liste de colisage"

            #, fuzzy
            msgid "Qty"
            msgstr "Quantité ?"

            msgid "Shipping "
            "Address:"
            msgstr "Adresse "
            "de livraison :"

            msgctxt "xsl"
            msgid "Say \"hi\""
            msgstr "Dis \"salut\"\tmerci"

            msgid "Untranslated"
            msgstr ""
            """#)
        let catalog = try TranslationCatalog.load(poFile: po)
        #expect(catalog.entries == [
            "Packing List": "Liste de colisage",
            "Shipping Address:": "Adresse de livraison :",
            "Say \"hi\"": "Dis \"salut\"\tmerci",
        ])
        let json = try s.write("fr.json", #"{"Packing List": "Liste de colisage", "Qty": "Qté"}"#)
        #expect(try TranslationCatalog.load(jsonFile: json).entries == ["Packing List": "Liste de colisage", "Qty": "Qté"])

        let bad = try s.write("bad.po", "msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\n")
        let e = xsltExpectError { _ = try TranslationCatalog.load(poFile: bad) }
        #expect(e?.location?.line == 2, "\(String(describing: e))")
        let notObject = try s.write("bad.json", "[1, 2]")
        #expect(xsltExpectError { _ = try TranslationCatalog.load(jsonFile: notObject) }?.kind == .package)
    }

    @Test func exsltFunctionsWork() throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("ex.xsl", """
            <xsl:template match="/">
              <out>
                <n><xsl:value-of select="count(str:tokenize('a,b;c', ',;'))"/></n>
                <t><xsl:for-each select="str:tokenize(/a, ' ')"><xsl:value-of select="."/>|</xsl:for-each></t>
                <d><xsl:value-of select="date:date()"/></d>
                <y><xsl:value-of select="date:year('2009-11-14')"/></y>
                <m><xsl:value-of select="math:max(//v)"/></m>
                <c><xsl:value-of select="count(exsl:node-set($rtf)/i)"/></c>
              </out>
            </xsl:template>
            <xsl:variable name="rtf"><i/><i/></xsl:variable>
            """, extraNamespaces: #" xmlns:str="http://exslt.org/strings" xmlns:date="http://exslt.org/dates-and-times" xmlns:math="http://exslt.org/math" xmlns:exsl="http://exslt.org/common""#)
        let out = xsltString(try XSLTTransformer.transform(try Stylesheet.compile(at: path, sandbox: s.root),
                                                           try xsltData("<a>red green blue<v>3</v><v>11</v><v>7</v></a>")))
        #expect(out.contains("<n>3</n>"), "\(out)")
        #expect(out.contains("<t>red|green|blue3117|</t>") || out.contains("<t>red|green|"), "\(out)")
        #expect(out.range(of: #"<d>\d{4}-\d{2}-\d{2}"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("<y>2009</y>"), "\(out)")
        #expect(out.contains("<m>11</m>"), "\(out)")
        #expect(out.contains("<c>2</c>"), "\(out)")
    }

    @Test func oneStylesheetServesConcurrentTransformations() async throws {
        let s = try XSLTScratch()
        let path = try s.stylesheet("k.xsl", """
            <xsl:key name="by" match="x" use="@k"/>
            <xsl:template match="/"><out><xsl:value-of select="count(key('by', 'a'))"/>-<xsl:value-of select="generate-id(/*)!=''"/></out></xsl:template>
            """)
        let style = try Stylesheet.compile(at: path, sandbox: s.root)
        let shared = try xsltData("<r><x k='a'/><x k='a'/><x k='b'/></r>")
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let doc = i % 2 == 0 ? shared : try xsltData("<r><x k='a'/><x k='a'/><x k='b'/></r>")
                    return xsltString(try XSLTTransformer.transform(style, doc))
                }
            }
            var all: [String] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0.contains("<out>2-true</out>") }, "\(results)")
    }

    /// Nothing libxml2/libxslt reports may reach stderr: everything goes to Folio's collectors.
    @Test func nothingIsPrintedToStderr() throws {
        let s = try XSLTScratch()
        let token = "folio-stderr-probe-\(UUID().uuidString.prefix(8))"
        let probe = s.root + "/stderr.txt"
        let bad = try s.stylesheet("bad-\(token).xsl", #"<xsl:template match="/"><xsl:value-of select="concat("/></xsl:template>"#)
        let runtime = try s.stylesheet("rt.xsl", """
            <xsl:template match="/"><xsl:message><xsl:value-of select="'\(token)'"/></xsl:message><xsl:value-of select="\(token)-fn()"/><xsl:value-of select="document('/\(token)')"/></xsl:template>
            """)
        let captured = try xsltCaptureStderr(into: probe) {
            _ = try? Stylesheet.compile(at: bad, sandbox: s.root)
            _ = try? XMLDocument.parse(Data("<a><b></a>".utf8), fileName: "\(token).xml")
            if let style = try? Stylesheet.compile(at: runtime, sandbox: s.root) {
                _ = try? XSLTTransformer.transform(style, try xsltData("<a/>"))
            }
        }
        #expect(!captured.contains(token), "leaked to stderr: \(captured)")
    }
}

/// Redirects file descriptor 2 to a file while `body` runs; returns what was written.
func xsltCaptureStderr(into path: String, _ body: () throws -> Void) throws -> String {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let fd = open(path, O_WRONLY | O_TRUNC)
    guard fd >= 0 else { return "" }
    fflush(nil)
    let saved = dup(2)
    dup2(fd, 2)
    defer {
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(fd)
    }
    try body()
    fflush(nil)
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
