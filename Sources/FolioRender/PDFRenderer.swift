import CCairo
import FolioLayout
import Foundation

/// A rendering failure (the output is incomplete and must not be presented as a result).
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Writes pages to a PDF as they arrive: each page's content leaves at `cairo_show_page`, fonts are
/// embedded as subsets when the document is finished.
public final class PDFRenderer {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let painter: CairoPainter
    private let box: SinkBox
    private var finished = false
    public private(set) var pageCount = 0

    /// Collects cairo's many small writes and hands them to the sink in large pieces, at the
    /// latest when a page is finished (so pages still leave one by one).
    final class SinkBox {
        let sink: OutputSink
        var failed = false
        private var buffer: [UInt8] = []
        static let capacity = 1 << 16

        init(_ sink: OutputSink) {
            self.sink = sink
            buffer.reserveCapacity(Self.capacity)
        }

        func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
            if failed { return false }
            if buffer.count + bytes.count > Self.capacity {
                guard flush() else { return false }
                if bytes.count >= Self.capacity {
                    failed = !sink.write(bytes)
                    return !failed
                }
            }
            buffer.append(contentsOf: bytes)
            return true
        }

        @discardableResult
        func flush() -> Bool {
            if failed { return false }
            if buffer.isEmpty { return true }
            failed = !buffer.withUnsafeBytes { sink.write($0) }
            buffer.removeAll(keepingCapacity: true)
            return !failed
        }
    }

    /// - Parameters:
    ///   - creationDate: fixed creation date (`YYYY-MM-DDThh:mm:ss`), for reproducible output.
    public init(sink: OutputSink, fonts: FontEnvironment, info: DocumentInfo, creationDate: String? = nil) {
        box = SinkBox(sink)
        let closure = Unmanaged.passUnretained(box).toOpaque()
        surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let box = Unmanaged<SinkBox>.fromOpaque(closure).takeUnretainedValue()
            return box.write(UnsafeRawBufferPointer(start: data, count: Int(length))) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
        }, closure, 595.27, 841.89)
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        if let t = info.title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, t) }
        if let a = info.author { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, a) }
        if let s = info.subject { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, s) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, info.creator)
        if let d = creationDate {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, d)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, d)
        }
        cr = cairo_create(surface)
        painter = CairoPainter(fonts: fonts)
    }

    deinit {
        cairo_destroy(cr)
        if !finished { cairo_surface_finish(surface) }
        cairo_surface_destroy(surface)
    }

    /// Draws one page and sends it to the sink.
    public func draw(_ page: Page) throws(RenderError) {
        cairo_pdf_surface_set_size(surface, page.width, page.height)
        painter.paint(page, on: cr, pdfSurface: surface)
        cairo_show_page(cr)
        pageCount += 1
        box.flush()
        try check()
    }

    /// Writes fonts, outlines and the cross-reference table; the PDF is complete after this.
    public func finish() throws(RenderError) {
        guard !finished else { return }
        if pageCount == 0 {
            // A PDF needs at least one page.
            cairo_show_page(cr)
        }
        cairo_surface_finish(surface)
        finished = true
        box.flush()
        try check()
    }

    private func check() throws(RenderError) {
        if box.failed { throw RenderError("writing the PDF failed") }
        let status = cairo_surface_status(surface)
        if status != CAIRO_STATUS_SUCCESS {
            throw RenderError("cairo: " + String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Renders single pages to PNG images for previews.
public enum PNGRenderer {
    /// Rasterises a page at `dpi` and writes a PNG file.
    public static func write(_ page: Page, fonts: FontEnvironment, dpi: Double, to path: String) throws(RenderError) {
        let scale = dpi / 72
        let pw = page.width * scale, ph = page.height * scale
        guard pw.isFinite, ph.isFinite, pw < 20000, ph < 20000 else {
            throw RenderError("preview too large: \(pw.formatted())×\(ph.formatted()) pixels")
        }
        let w = Int32(max(1, pw.rounded())), h = Int32(max(1, ph.rounded()))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h)!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        CairoPainter(fonts: fonts).paint(page, on: cr, pdfSurface: nil)
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png(surface, path)
        if status != CAIRO_STATUS_SUCCESS {
            throw RenderError("cannot write \(path): " + String(cString: cairo_status_to_string(status)))
        }
    }
}
