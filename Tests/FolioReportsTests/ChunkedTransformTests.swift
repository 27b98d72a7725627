import Foundation
import Testing

@testable import FolioReports

/// Chunked transforms (the `folio-chunk` convention) give the same RML as a whole-document
/// transform, whatever the chunk size.
@Suite struct ChunkedTransformTests {
    static let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("bench").path

    static func ledger(_ lines: Int) -> String {
        var total = 0.0
        var body = ""
        for i in 1...lines {
            let amount = Double(i) * 1.25
            total += amount
            let partner = i % 3 == 0 ? "Dvořák &amp; Šťastný" : "Zoë Müller"
            body += "<line><date>2024-01-0\(i % 9 + 1)</date><ref>INV-\(i)</ref><partner>\(partner)</partner>"
                + "<desc>Item \(i) of a generated ledger</desc><qty>\(i % 7 + 1)</qty><price>1.25</price><amount>\(amount)</amount></line>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ledger title=\"T\" company=\"C\" currency=\"EUR\" count=\"\(lines)\" total=\"\(total)\">\n"
            + body + "</ledger>\n"
    }

    @Test func chunkedOutputEqualsWholeTransform() throws {
        let path = Self.bench + "/ledger_rml_chunked.xsl"
        let stylesheet = try Stylesheet.compile(at: path, sandbox: Self.bench)
        #expect(ChunkedTransform.recordName(of: stylesheet) == "line")
        let data = Data(Self.ledger(23).utf8)
        let whole = try XSLTTransformer.transform(stylesheet, try XMLDocument.parse(data, fileName: "ledger.xml"))
        for size in [1, 5, 23, 100] {
            let chunked = try ChunkedTransform(stylesheet, data: data, fileName: "ledger.xml", records: "line", chunkSize: size).collect()
            #expect(String(decoding: chunked, as: UTF8.self) == String(decoding: whole, as: UTF8.self), "chunk size \(size)")
        }
    }

    @Test func fromFileAndWithoutRecords() throws {
        let stylesheet = try Stylesheet.compile(at: Self.bench + "/ledger_rml_chunked.xsl", sandbox: Self.bench)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-chunk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("empty.xml").path
        try Data("<ledger title=\"T\" company=\"C\" count=\"0\" total=\"0\"/>".utf8).write(to: URL(fileURLWithPath: file))
        let out = String(decoding: try ChunkedTransform(stylesheet, dataFile: file, records: "line").collect(), as: UTF8.self)
        #expect(out.contains("Grand total (0 lines)"))
        #expect(!out.contains("folio-records"))
    }

    @Test func malformedDataIsLocated() throws {
        let stylesheet = try Stylesheet.compile(at: Self.bench + "/ledger_rml_chunked.xsl", sandbox: Self.bench)
        let data = Data("<ledger count=\"2\" total=\"1\">\n<line><date>x</date></line>\n<line><date>y</line>\n</ledger>".utf8)
        let t = try ChunkedTransform(stylesheet, data: data, fileName: "bad.xml", records: "line", chunkSize: 1)
        #expect(throws: ReportError.self) { _ = try t.collect() }
    }
}
