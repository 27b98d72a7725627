import Foundation
import Testing
@testable import FolioRML

/// The streamed story: read from its source as the layout asks, with exact places far into
/// documents larger than the reader's byte window, from memory, files and spools being written.
@Suite struct StreamingTests {
    /// A document with `n` paragraphs, one per line, and `tail` as the story's last line.
    static func document(paragraphs n: Int, tail: String = "") -> String {
        var s = "<document>\n<template/>\n<story>\n"
        for i in 0..<n { s += "  <para>paragraph number \(i), padded to make the document longer</para>\n" }
        return s + tail + "\n</story>\n</document>\n"
    }

    /// Every story element in order, whole.
    static func readStory(_ doc: RMLDocument, _ sink: DiagnosticSink) throws -> [RMLElement] {
        let cursor = try #require(doc.storyStream).open(diagnostics: sink)
        var out: [RMLElement] = []
        while let item = try cursor.next() {
            if case .element(let e, let empty) = item { out.append(try cursor.finish(e, isEmpty: empty)) }
        }
        return out
    }

    @Test func theStoryIsReadAgainAtEachPass() throws {
        let sink = DiagnosticSink()
        let source = RMLSource(data: Data(Self.document(paragraphs: 3).utf8), name: "s.rml")
        let doc = try RMLParser(fileName: "s.rml").parse(source, streamingStory: true, diagnostics: sink)
        #expect(doc.story?.children.isEmpty == true)
        #expect(doc.template != nil)
        #expect(!doc.needsCountingPass)
        for _ in 0..<2 {
            let story = try Self.readStory(doc, sink)
            #expect(story.map(\.text) == (0..<3).map { "paragraph number \($0), padded to make the document longer" })
            #expect(story.map(\.location.line) == [4, 5, 6])
        }
    }

    @Test func placesStayExactBeyondTheByteWindow() throws {
        // About 7 MB: the reader keeps only the last megabytes, so the places below are found in a
        // window that has moved far from the start.
        let n = 100_000
        let text = Self.document(paragraphs: n, tail: "  <para colour=\"red\">x</para> <bogus/>")
        #expect(text.utf8.count > 5 * LineWindow.keep)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("folio-stream-\(UUID().uuidString).rml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let sink = DiagnosticSink()
        let doc = try RMLParser(fileName: file).parse(RMLSource(file: file), streamingStory: true, diagnostics: sink)
        let story = try Self.readStory(doc, sink)
        #expect(story.count == n + 2)
        #expect(story[n - 1].location == SourceLocation(file: file, line: n + 3, column: 3))
        #expect(story[n].location == SourceLocation(file: file, line: n + 4, column: 3))
        #expect(story[n + 1].location == SourceLocation(file: file, line: n + 4, column: 31))
        #expect(sink.diagnostics.map(\.description) == [
            "\(file):\(n + 4):3: warning: unknown attribute 'colour' on <para> is ignored",
            "\(file):\(n + 4):31: warning: unknown element <bogus> in <story> is ignored",
        ])
    }

    @Test func malformedXMLFarIntoTheStoryNamesItsPlace() throws {
        let text = Self.document(paragraphs: 60_000, tail: "  <para>broken</p>")
        let sink = DiagnosticSink()
        let doc = try RMLParser(fileName: "big.rml").parse(RMLSource(data: Data(text.utf8), name: "big.rml"),
                                                          streamingStory: true, diagnostics: sink)
        #expect(throws: RMLError.self) { _ = try Self.readStory(doc, sink) }
        do {
            _ = try Self.readStory(doc, sink)
        } catch let error as RMLError {
            #expect(error.location?.file == "big.rml")
            #expect(error.location?.line == 60_004)
            #expect(error.message.contains("mismatch"))
        }
    }

    @Test func aSpoolIsReadWhileItIsWritten() throws {
        let spool = try RMLSpool()
        let text = Self.document(paragraphs: 2000, tail: "<para><pageCount/></para>")
        let bytes = Data(text.utf8)
        let half = bytes.count / 2
        try spool.write(bytes.prefix(half))
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            try? spool.write(bytes.suffix(from: half))
            spool.finish()
        }
        writer.start()
        let sink = DiagnosticSink()
        let source = RMLSource(spool: spool, name: "spooled")
        #expect(!source.isComplete)
        // The counting pass is decided by the caller (the stylesheet), not by waiting for the end.
        let doc = try RMLParser(fileName: "spooled").parse(source, streamingStory: true, countingPass: true, diagnostics: sink)
        #expect(doc.needsCountingPass)
        let story = try Self.readStory(doc, sink)
        #expect(story.count == 2001)
        #expect(story.last?.elements.first?.name == "pageCount")
        #expect(try source.data() == bytes)
        #expect(try source.contains(anyOf: ["pageCount"]))
        #expect(try !source.contains(anyOf: ["getName"]))
    }

    @Test func aFailedProducerStopsTheReader() throws {
        let spool = try RMLSpool()
        try spool.write(Data(Self.document(paragraphs: 10).utf8.prefix(200)))
        spool.finish(failure: RMLError("the data is not well-formed XML", at: SourceLocation(file: "data.xml", line: 7, column: 2)))
        let source = RMLSource(spool: spool, name: "spooled")
        do {
            let doc = try RMLParser(fileName: "spooled").parse(source, streamingStory: true, countingPass: false, diagnostics: DiagnosticSink())
            _ = try Self.readStory(doc, DiagnosticSink())
            Issue.record("a failed producer must fail the read")
        } catch let error as RMLError {
            #expect(error.description == "data.xml:7:2: error: the data is not well-formed XML")
        }
    }

    @Test func searchesFindNeedlesAcrossPieces() throws {
        // The needle straddles the 64 KB pieces the search reads.
        let filler = String(repeating: "a", count: (1 << 16) - 4)
        let source = RMLSource(data: Data((filler + "getName" + filler).utf8), name: "x")
        #expect(try source.contains(anyOf: ["pageCount", "getName"]))
        #expect(try !source.contains(anyOf: ["pageCount"]))
    }
}
