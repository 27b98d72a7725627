import FolioRender
import Foundation

/// Page-by-page comparison of two PDFs (`folio diff`): both are rasterised, each pair of pages
/// compared with `PageDiff`, and pages that differ beyond the tolerance written as pictures.
public struct PDFComparison: Sendable {
    /// One page's result.
    public struct PageResult: Sendable {
        public var number: Int
        /// Share of changed pixels (1 for a page only one PDF has).
        public var ratio: Double
        public var differs: Bool
        /// The highlight picture written for a differing page.
        public var image: String?
    }

    public var pages: [PageResult]
    public var pageCountA: Int
    public var pageCountB: Int

    /// Whether any page differs beyond the tolerance, or the page counts differ.
    public var differs: Bool { pageCountA != pageCountB || pages.contains { $0.differs } }

    /// Compares `a` with `b` at `dpi`; a page differs when more than `tolerance` (0…1) of its
    /// pixels changed. `radius` 0 (the default) compares pixel for pixel, right for two renders by
    /// the same rasteriser; 1 forgives one-pixel anti-aliasing shifts (different rasterisers), at
    /// the price of missing changes as small as one letter for a similar one. Highlight images of differing pages (B's page, changes in red) go to
    /// `outputFolder` as `page-N.png` when given.
    public static func compare(_ a: String, _ b: String, dpi: Double = 50, tolerance: Double = 0,
                               radius: Int = 0, outputFolder: String? = nil) throws(PDFRasterizer.Failure) -> PDFComparison {
        let ra = try PDFRasterizer.pngPages(of: a, dpi: dpi)
        defer { try? FileManager.default.removeItem(atPath: ra.folder) }
        let rb = try PDFRasterizer.pngPages(of: b, dpi: dpi)
        defer { try? FileManager.default.removeItem(atPath: rb.folder) }
        if let outputFolder {
            do { try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true) } catch {
                throw PDFRasterizer.Failure(description: "cannot create '\(outputFolder)': \(error.localizedDescription)")
            }
        }
        var results: [PageResult] = []
        for n in 0..<max(ra.pages.count, rb.pages.count) {
            guard n < ra.pages.count, n < rb.pages.count,
                  let ia = GrayImage.load(path: ra.pages[n]), let ib = GrayImage.load(path: rb.pages[n]) else {
                results.append(PageResult(number: n + 1, ratio: 1, differs: true, image: nil))
                continue
            }
            let diff = PageDiff(old: ia, new: ib, threshold: 32, radius: radius)
            var result = PageResult(number: n + 1, ratio: diff.ratio, differs: diff.ratio > tolerance, image: nil)
            if result.differs, let outputFolder, let png = diff.highlightPNG(on: ib) {
                let path = outputFolder + "/page-\(n + 1).png"
                if FileManager.default.createFile(atPath: path, contents: png) { result.image = path }
            }
            results.append(result)
        }
        return PDFComparison(pages: results, pageCountA: ra.pages.count, pageCountB: rb.pages.count)
    }
}
