import CCairo
import CPixbuf
import FolioLayout
import FolioRML
import Foundation

/// Replays a page's display list on a Cairo context. Used by the PDF and PNG backends.
final class CairoPainter {
    let fonts: FontEnvironment
    private var images: [String: OpaquePointer] = [:]
    /// Outline parents by level (cairo outline ids), reset per document.
    private var outlineParents: [Int: Int32] = [:]

    init(fonts: FontEnvironment) { self.fonts = fonts }

    deinit {
        for (_, s) in images { cairo_surface_destroy(s) }
    }

    /// Draws a page. `cr` must be set up so that one unit is one point, y down, origin top-left.
    func paint(_ page: Page, on cr: OpaquePointer, pdfSurface: OpaquePointer?) {
        cairo_save(cr)
        // RML's coordinates: origin bottom-left, y up.
        cairo_translate(cr, 0, page.height)
        cairo_scale(cr, 1, -1)
        cairo_set_source_rgb(cr, 0, 0, 0)
        var fill = Color.black
        var stroke = Color.black
        var stack: [(Color, Color)] = []
        for op in page.ops {
            switch op {
            case .save:
                cairo_save(cr); stack.append((fill, stroke))
            case .restore:
                cairo_restore(cr)
                if let s = stack.popLast() { (fill, stroke) = s }
            case .transform(let m):
                var matrix = cairo_matrix_t(xx: m.a, yx: m.b, xy: m.c, yy: m.d, x0: m.e, y0: m.f)
                cairo_transform(cr, &matrix)
            case .fillColor(let c): fill = c
            case .strokeColor(let c): stroke = c
            case .lineWidth(let w): cairo_set_line_width(cr, w)
            case .dash(let lengths, let phase):
                lengths.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32(lengths.count), phase) }
            case .lineCap(let c):
                cairo_set_line_cap(cr, c == 1 ? CAIRO_LINE_CAP_ROUND : c == 2 ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT)
            case .lineJoin(let j):
                cairo_set_line_join(cr, j == 1 ? CAIRO_LINE_JOIN_ROUND : j == 2 ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_MITER)
            case .path(let elements, let mode):
                trace(elements, cr)
                cairo_set_fill_rule(cr, mode.evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
                if mode.fill {
                    setSource(fill, cr)
                    if mode.stroke { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
                }
                if mode.stroke {
                    setSource(stroke, cr)
                    cairo_stroke(cr)
                }
                cairo_new_path(cr)
            case .clip(let elements, let evenOdd):
                trace(elements, cr)
                cairo_set_fill_rule(cr, evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
                cairo_clip(cr)
            case .glyphs(let run, let x, let y):
                setSource(fill, cr)
                drawGlyphs(run, x: x, y: y, cr)
            case .image(let source, let rect):
                drawImage(source, rect, cr)
            case .link(let rect, let target):
                guard pdfSurface != nil else { break }
                // Cairo tags take device-space rectangles (y down from the top of the page).
                var x1 = rect.x, y1 = rect.y, x2 = rect.maxX, y2 = rect.maxY
                cairo_user_to_device(cr, &x1, &y1)
                cairo_user_to_device(cr, &x2, &y2)
                let r = "rect=[\(min(x1, x2)) \(min(y1, y2)) \(abs(x2 - x1)) \(abs(y2 - y1))]"
                let attrs: String
                switch target {
                case .uri(let u): attrs = "uri='\(escape(u))' \(r)"
                case .destination(let d): attrs = "dest='\(escape(d))' \(r)"
                }
                cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs)
                cairo_tag_end(cr, CAIRO_TAG_LINK)
            case .destination(let name, let x, let y):
                guard pdfSurface != nil else { break }
                var dx = x, dy = y
                cairo_user_to_device(cr, &dx, &dy)
                cairo_tag_begin(cr, CAIRO_TAG_DEST, "name='\(escape(name))' x=\(dx) y=\(dy)")
                cairo_tag_end(cr, CAIRO_TAG_DEST)
            case .outline(let title, let level, let destination, let closed):
                guard let surface = pdfSurface else { break }
                let parent = level > 0 ? (outlineParents[level - 1] ?? 0) : 0
                let flags = closed ? cairo_pdf_outline_flags_t(0) : CAIRO_PDF_OUTLINE_FLAG_OPEN
                let id = cairo_pdf_surface_add_outline(surface, parent, title, "dest='\(escape(destination))'", flags)
                outlineParents[level] = id
                outlineParents = outlineParents.filter { $0.key <= level }
            }
        }
        cairo_restore(cr)
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    private func setSource(_ c: Color, _ cr: OpaquePointer) {
        if c.alpha < 1 { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }
        else { cairo_set_source_rgb(cr, c.red, c.green, c.blue) }
    }

    private func trace(_ elements: [PathElement], _ cr: OpaquePointer) {
        cairo_new_path(cr)
        for e in elements {
            switch e {
            case .move(let x, let y): cairo_move_to(cr, x, y)
            case .line(let x, let y): cairo_line_to(cr, x, y)
            case .curve(let a, let b, let c, let d, let e, let f): cairo_curve_to(cr, a, b, c, d, e, f)
            case .close: cairo_close_path(cr)
            }
        }
    }

    private func drawGlyphs(_ run: GlyphRun, x: Double, y: Double, _ cr: OpaquePointer) {
        guard !run.glyphs.isEmpty, let font = fonts.font(named: run.font) else { return }
        let gs = pango_glyph_string_new()!
        defer { pango_glyph_string_free(gs) }
        let n = run.glyphs.count
        pango_glyph_string_set_size(gs, Int32(n))
        let scale = Double(PANGO_SCALE)
        for i in 0..<n {
            let g = run.glyphs[i]
            let next = i + 1 < n ? run.glyphs[i + 1].x : g.x
            var info = PangoGlyphInfo()
            info.glyph = g.id
            // Absolute positions are carried as offsets so no rounding accumulates.
            info.geometry.width = 0
            info.geometry.x_offset = pangoUnits(g.x)
            info.geometry.y_offset = pangoUnits(-g.y)
            _ = next
            gs.pointee.glyphs[i] = info
            gs.pointee.log_clusters[i] = i < run.clusters.count ? run.clusters[i] : 0
        }
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, 1, -1)
        cairo_move_to(cr, 0, 0)
        let bytes = Array(run.text.utf8)
        if bytes.isEmpty {
            pango_cairo_show_glyph_string(cr, UnsafeMutablePointer(font), gs)
        } else {
            let item = pango_item_new()!
            item.pointee.offset = 0
            item.pointee.length = Int32(bytes.count)
            item.pointee.num_chars = Int32(run.text.unicodeScalars.count)
            g_object_ref(UnsafeMutableRawPointer(font))
            item.pointee.analysis.font = UnsafeMutablePointer(font)
            item.pointee.analysis.level = run.rightToLeft ? 1 : 0
            var glyphItem = PangoGlyphItem(item: item, glyphs: gs, y_offset: 0, start_x_offset: 0, end_x_offset: 0)
            run.text.withCString { pango_cairo_show_glyph_item(cr, $0, &glyphItem) }
            pango_item_free(item)
        }
        cairo_restore(cr)
    }

    private func drawImage(_ source: ImageSource, _ rect: Rect, _ cr: OpaquePointer) {
        if source.isSVG {
            cairo_save(cr)
            cairo_translate(cr, rect.x, rect.maxY)
            cairo_scale(cr, 1, -1)
            SVGRenderer.draw(source.data, in: rect.width, rect.height, cr)
            cairo_restore(cr)
            return
        }
        guard let surface = imageSurface(source) else { return }
        let w = Double(cairo_image_surface_get_width(surface))
        let h = Double(cairo_image_surface_get_height(surface))
        guard w > 0, h > 0, rect.width != 0, rect.height != 0 else { return }
        cairo_save(cr)
        // Images are stored top row first: flip back into y-down space inside the target rectangle.
        cairo_translate(cr, rect.x, rect.maxY)
        cairo_scale(cr, rect.width / w, -rect.height / h)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_rectangle(cr, 0, 0, w, h)
        cairo_fill(cr)
        cairo_restore(cr)
    }

    private func imageSurface(_ source: ImageSource) -> OpaquePointer? {
        if let s = images[source.key] { return s }
        guard let s = ImageDecoder.decode(source.data) else { return nil }
        images[source.key] = s
        return s
    }
}

/// Decodes PNG, JPEG and GIF bytes into Cairo image surfaces with gdk-pixbuf.
enum ImageDecoder {
    static func decode(_ data: [UInt8]) -> OpaquePointer? {
        guard let loader = gdk_pixbuf_loader_new() else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
        var error: UnsafeMutablePointer<GError>?
        let ok = data.withUnsafeBufferPointer { gdk_pixbuf_loader_write(loader, $0.baseAddress, gsize($0.count), &error) }
        if error != nil { g_error_free(error); error = nil }
        gdk_pixbuf_loader_close(loader, &error)
        if error != nil { g_error_free(error) }
        guard ok != 0, let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else { return nil }
        let w = Int(gdk_pixbuf_get_width(pixbuf)), h = Int(gdk_pixbuf_get_height(pixbuf))
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf))
        let hasAlpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        let stride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        guard w > 0, h > 0, let pixels = gdk_pixbuf_read_pixels(pixbuf) else { return nil }
        let surface = cairo_image_surface_create(hasAlpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        cairo_surface_flush(surface)
        let dst = cairo_image_surface_get_data(surface)!
        let dstStride = Int(cairo_image_surface_get_stride(surface))
        for y in 0..<h {
            let srow = pixels + y * stride
            let drow = UnsafeMutableRawPointer(dst + y * dstStride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w {
                let p = srow + x * channels
                var r = UInt32(p[0]), g = UInt32(p[1]), b = UInt32(p[2])
                var a: UInt32 = 255
                if hasAlpha && channels >= 4 {
                    a = UInt32(p[3])
                    r = (r * a + 127) / 255; g = (g * a + 127) / 255; b = (b * a + 127) / 255
                }
                drow[x] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }
}
