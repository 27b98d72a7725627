import FolioRender
import Foundation

/// Turns PDF pages into images with poppler's `pdftoppm` (Debian's poppler-utils), the same
/// rasteriser the visual tests and `folio diff` use, so what the designer sees is what a viewer shows.
public enum PDFRasterizer {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Rasterises every page of `pdf` at `dpi`; returns the PNG files in page order (in a new
    /// temporary folder the caller removes).
    public static func pngPages(of pdf: String, dpi: Double) throws(Failure) -> (folder: String, pages: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-raster-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create a temporary folder: \(error.localizedDescription)")
        }
        let status = run(["pdftoppm", "-r", String(format: "%g", dpi), "-png", pdf, folder + "/page"])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure(description: status == 127
                ? "pdftoppm is not installed (Debian package poppler-utils)"
                : "pdftoppm could not read '\(pdf)' (status \(status))")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".png") }
        // page-1.png … page-10.png (zero-padded by pdftoppm to the width of the last number).
        let sorted = names.sorted { pageNumber($0) < pageNumber($1) }
        return (folder, sorted.map { folder + "/" + $0 })
    }

    /// Rasterises PDF bytes held in memory.
    public static func pngPages(ofPDF data: Data, dpi: Double) throws(Failure) -> [Data] {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("folio-raster-\(UUID().uuidString).pdf").path
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw Failure(description: "cannot write a temporary file")
        }
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let (folder, pages) = try pngPages(of: tmp, dpi: dpi)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return pages.compactMap { FileManager.default.contents(atPath: $0) }
    }

    private static func pageNumber(_ name: String) -> Int {
        let digits = name.dropFirst("page-".count).prefix { $0.isNumber }
        return Int(digits) ?? 0
    }

    /// Runs a program found on PATH with output discarded; returns its exit status (127: not found).
    private static func run(_ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return 127 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
