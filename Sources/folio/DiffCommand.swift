import ArgumentParser
import FolioPipeline
import Foundation

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two PDFs page by page; write a picture of each page that differs.",
        discussion: """
            Pages are rasterised with pdftoppm and compared pixel by pixel (with --fuzzy, anti-aliasing shifts \
            of one pixel do not count). Exit status 0 when every page matches within the tolerance and the page counts are \
            equal, 1 when they differ, 2 on errors. Useful as a golden test of report packages.
            """)

    @Argument(help: "The reference PDF.")
    var a: String

    @Argument(help: "The PDF to compare with it.")
    var b: String

    @Option(name: .shortAndLong, help: "Folder for the pictures of differing pages (B's page with the changes in red).")
    var output: String?

    @Option(help: "Share of a page's pixels that may differ, in percent (default 0: any change beyond anti-aliasing noise).")
    var tolerance: Double = 0

    @Option(help: "Resolution the pages are compared at, in dots per inch.")
    var dpi: Double = 72

    @Flag(help: "Forgive one-pixel anti-aliasing shifts (when the PDFs come from different renderers).")
    var fuzzy = false

    func validate() throws {
        guard tolerance >= 0 && tolerance <= 100 else { throw ValidationError("--tolerance is a percentage, 0 to 100") }
        guard dpi >= 10 && dpi <= 600 else { throw ValidationError("--dpi must be between 10 and 600") }
    }

    func run() throws {
        for path in [a, b] where !FileManager.default.fileExists(atPath: path) {
            FileHandle.standardError.write("error: cannot read '\(path)': no such file\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        let result: PDFComparison
        do {
            result = try PDFComparison.compare(a, b, dpi: dpi, tolerance: tolerance / 100, radius: fuzzy ? 1 : 0, outputFolder: output)
        } catch {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        for p in result.pages {
            let pct = String(format: "%.3f", p.ratio * 100)
            let state = p.differs ? "differs" : "same"
            print("page \(p.number): \(state) (\(pct) % of pixels)\(p.image.map { " → \($0)" } ?? "")")
        }
        if result.pageCountA != result.pageCountB {
            print("page count: \(result.pageCountA) in \(a), \(result.pageCountB) in \(b)")
        }
        let n = result.pages.filter(\.differs).count
        print(result.differs ? "\(n) of \(result.pages.count) page\(result.pages.count == 1 ? "" : "s") differ" : "identical within \(tolerance) %")
        if result.differs { throw ExitCode(1) }
    }
}
