import Foundation
import FolioRender
import Testing

/// Renders Folio's own samples and checks them as a reader would see them: page images against
/// committed references, and the text pdftotext extracts.
@Suite struct SampleTests {
    static let samples = ["invoice", "ledger", "scripts"]
    /// Rasterisation resolution of the visual references.
    static let dpi = 40
    /// A page matches its reference when at most this share of pixels differs (beyond a 1-pixel
    /// neighbourhood and 64 gray levels): 0.2 % is a few short words moved or missing.
    static let tolerance = 0.002

    func render(_ name: String) throws -> String {
        let dir = try CLI.temporaryDirectory()
        let pdf = dir + "/\(name).pdf"
        let r = try CLI.folio(["render", CLI.packageRoot.path + "/samples/\(name).rml", "-o", pdf, "--creation-date", "2025-01-01T00:00:00Z"])
        #expect(r.status == 0, "folio render \(name): \(r.stderr)")
        return pdf
    }

    @Test(arguments: samples)
    func pagesMatchReferenceImages(_ name: String) throws {
        let pdf = try render(name)
        let dir = (pdf as NSString).deletingLastPathComponent
        try CLI.run("pdftoppm", ["-r", "\(Self.dpi)", "-gray", "-png", pdf, dir + "/page"])
        let pages = try CLI.pageCount(pdf)
        #expect(pages > 0)
        let refDir = CLI.packageRoot.path + "/Tests/folioTests/References"
        let record = ProcessInfo.processInfo.environment["FOLIO_RECORD"] == "1"
        if record { try FileManager.default.createDirectory(atPath: refDir, withIntermediateDirectories: true) }
        let digits = String(pages).count
        for p in 1...pages {
            let rendered = dir + "/page-" + String(repeating: "0", count: max(0, digits - String(p).count)) + "\(p).png"
            let reference = refDir + "/\(name)-\(p).png"
            if record {
                try? FileManager.default.removeItem(atPath: reference)
                try FileManager.default.copyItem(atPath: rendered, toPath: reference)
                continue
            }
            let a = try #require(GrayImage.load(path: rendered), "cannot read \(rendered)")
            let b = try #require(GrayImage.load(path: reference), "missing reference \(reference); run with FOLIO_RECORD=1")
            let diff = max(a.difference(from: b), b.difference(from: a))
            #expect(diff <= Self.tolerance, "\(name) page \(p) differs from its reference in \(diff * 100)% of pixels")
        }
        if !record {
            let refs = try FileManager.default.contentsOfDirectory(atPath: refDir).filter { $0.hasPrefix(name + "-") }
            #expect(refs.count == pages, "\(name): \(pages) pages rendered, \(refs.count) reference images")
        }
    }

    @Test func invoiceText() throws {
        let text = try CLI.text(try render("invoice"))
        #expect(text.contains("Atelier Lumen"))
        #expect(text.contains("13,848.09"))
        #expect(text.contains("Page 1 of 1"))
    }

    @Test func ledgerRepeatsItsHeaderAndCountsPages() throws {
        let pdf = try render("ledger")
        let pages = try CLI.pageCount(pdf)
        #expect(pages >= 4)
        for p in 1...pages {
            let text = try CLI.text(pdf, page: p)
            #expect(text.contains("Page \(p) of \(pages)"), "page \(p) footer")
            // Every page that carries ledger lines starts them with the repeated header row.
            if text.range(of: "[0-9]{2}/[0-9]{2}/2025 +[A-Z]{2} +[0-9]{6}", options: .regularExpression) != nil {
                #expect(text.contains("Debit") && text.contains("Credit") && text.contains("Balance"), "header row on page \(p)")
            }
        }
    }

    @Test func scriptsAreShapedAndExtractable() throws {
        let text = try CLI.text(try render("scripts"))
        for fragment in ["é", "ß", "ł", "Ελλ", "中", "€"] {
            #expect(text.contains(fragment), "missing \(fragment)")
        }
        // Arabic letters come out of the PDF (shaped forms map back to their characters).
        #expect(text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0xFE70...0xFEFF).contains($0.value) })
    }
}
