import CCairo
import Foundation

/// What changed between two renderings of a page: which pixels differ (beyond anti-aliasing
/// noise) and a picture that shows them.
public struct PageDiff: Sendable {
    public let width: Int
    public let height: Int
    /// Per pixel (row-major): whether it changed.
    public let changed: [Bool]
    /// Share of changed pixels, 0…1 (1 when the sizes differ).
    public let ratio: Double
    /// The bounding box of the changes (x, y, width, height) in pixels, nil when nothing changed.
    public let bounds: (x: Int, y: Int, width: Int, height: Int)?

    /// Compares `new` with `old`: a pixel changed when its gray level differs by more than
    /// `threshold` and no pixel within `radius` of it in the other image is close (so a one-pixel
    /// anti-aliasing shift does not count). Images of different sizes are compared on `new`'s
    /// size, pixels outside `old` all changed.
    public init(old: GrayImage, new: GrayImage, threshold: UInt8 = 64, radius: Int = 1) {
        width = new.width
        height = new.height
        var mask = [Bool](repeating: false, count: new.width * new.height)
        var count = 0
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        let t = Int(threshold)
        for y in 0..<new.height {
            for x in 0..<new.width {
                let a = Int(new.pixels[y * new.width + x])
                var same = false
                if y < old.height && x < old.width {
                    if abs(a - Int(old.pixels[y * old.width + x])) <= t { continue }
                    search: for dy in -radius...radius {
                        for dx in -radius...radius {
                            let yy = y + dy, xx = x + dx
                            if yy < 0 || xx < 0 || yy >= old.height || xx >= old.width { continue }
                            if abs(a - Int(old.pixels[yy * old.width + xx])) <= t { same = true; break search }
                        }
                    }
                }
                if same { continue }
                mask[y * new.width + x] = true
                count += 1
                minX = min(minX, x); minY = min(minY, y); maxX = max(maxX, x); maxY = max(maxY, y)
            }
        }
        changed = mask
        let sizeDiffers = old.width != new.width || old.height != new.height
        ratio = sizeDiffers ? 1 : (mask.isEmpty ? 0 : Double(count) / Double(mask.count))
        bounds = count > 0 ? (minX, minY, maxX - minX + 1, maxY - minY + 1) : nil
    }

    /// A PNG of `page` (the new rendering) faded, with changed pixels in red and their bounding
    /// box outlined, so the eye finds a one-character change on a full page.
    public func highlightPNG(on page: GrayImage) -> Data? {
        guard page.width == width, page.height == height, width > 0, height > 0 else { return nil }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else { return nil }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let base = cairo_image_surface_get_data(surface) else { return nil }
        for y in 0..<height {
            let row = (base + y * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
            for x in 0..<width {
                let i = y * width + x
                if changed[i] {
                    row[x] = 0x00E0_2020
                } else {
                    // Faded: gray pulled towards white so the red stands out.
                    let g = UInt32(200 + Int(page.pixels[i]) * 55 / 255)
                    row[x] = (g << 16) | (g << 8) | g
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        if let b = bounds, let cr = cairo_create(surface) {
            cairo_set_source_rgb(cr, 0.88, 0.12, 0.12)
            cairo_set_line_width(cr, 2)
            cairo_rectangle(cr, Double(b.x) - 3, Double(b.y) - 3, Double(b.width) + 6, Double(b.height) + 6)
            cairo_stroke(cr)
            cairo_destroy(cr)
        }
        final class Buffer { var data = Data() }
        let buffer = Buffer()
        let status = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Buffer>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(buffer).toOpaque())
        return status == CAIRO_STATUS_SUCCESS ? buffer.data : nil
    }
}
