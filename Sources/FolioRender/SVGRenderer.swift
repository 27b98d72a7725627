import CCairo
import CRsvg

/// Draws SVG images as vector graphics with librsvg.
enum SVGRenderer {
    /// Renders the SVG document scaled into a `width` × `height` box at the current origin (y down).
    static func draw(_ data: [UInt8], in width: Double, _ height: Double, _ cr: OpaquePointer) {
        var error: UnsafeMutablePointer<GError>?
        let handle = data.withUnsafeBufferPointer { rsvg_handle_new_from_data($0.baseAddress, gsize($0.count), &error) }
        if error != nil { g_error_free(error); error = nil }
        guard let handle else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }
        rsvg_handle_set_dpi(handle, 72)
        var viewport = RsvgRectangle(x: 0, y: 0, width: width, height: height)
        // librsvg draws on the caller's cairo_t; the types come from two module maps of the same header.
        _ = rsvg_handle_render_document(handle, cr, &viewport, &error)
        if error != nil { g_error_free(error) }
    }
}
