import CPixbuf
import Foundation

/// An 8-bit grayscale raster, for comparing rendered pages with reference images.
public struct GrayImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Row-major, 0 = black, 255 = white.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// Loads a PNG (or JPEG/GIF) file, converting to gray.
    public static func load(path: String) -> GrayImage? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return decode([UInt8](data))
    }

    /// Decodes image bytes, converting to gray (alpha composited on white).
    public static func decode(_ bytes: [UInt8]) -> GrayImage? {
        guard let loader = gdk_pixbuf_loader_new() else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
        var error: UnsafeMutablePointer<GError>?
        let ok = bytes.withUnsafeBufferPointer { gdk_pixbuf_loader_write(loader, $0.baseAddress, gsize($0.count), &error) }
        if error != nil { g_error_free(error); error = nil }
        gdk_pixbuf_loader_close(loader, &error)
        if error != nil { g_error_free(error) }
        guard ok != 0, let pb = gdk_pixbuf_loader_get_pixbuf(loader), let px = gdk_pixbuf_read_pixels(pb) else { return nil }
        let w = Int(gdk_pixbuf_get_width(pb)), h = Int(gdk_pixbuf_get_height(pb))
        let n = Int(gdk_pixbuf_get_n_channels(pb)), stride = Int(gdk_pixbuf_get_rowstride(pb))
        let alpha = gdk_pixbuf_get_has_alpha(pb) != 0
        var out = [UInt8](repeating: 255, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let p = px + y * stride + x * n
                var g = (299 * Double(p[0]) + 587 * Double(p[1]) + 114 * Double(p[2])) / 1000
                if alpha && n >= 4 { let a = Double(p[3]) / 255; g = g * a + 255 * (1 - a) }
                out[y * w + x] = UInt8(max(0, min(255, g.rounded())))
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

    /// The share of pixels (0…1) whose gray level differs by more than `threshold` from the other
    /// image and that have no pixel within `radius` in the other image close enough — so a one-pixel
    /// anti-aliasing shift does not count. Images of different sizes differ completely.
    public func difference(from other: GrayImage, threshold: UInt8 = 64, radius: Int = 1) -> Double {
        guard width == other.width, height == other.height, !pixels.isEmpty else { return 1 }
        var differing = 0
        for y in 0..<height {
            for x in 0..<width {
                let a = Int(pixels[y * width + x])
                if abs(a - Int(other.pixels[y * width + x])) <= Int(threshold) { continue }
                var matched = false
                search: for dy in -radius...radius {
                    for dx in -radius...radius {
                        let yy = y + dy, xx = x + dx
                        if yy < 0 || xx < 0 || yy >= height || xx >= width { continue }
                        if abs(a - Int(other.pixels[yy * width + xx])) <= Int(threshold) { matched = true; break search }
                    }
                }
                if !matched { differing += 1 }
            }
        }
        return Double(differing) / Double(pixels.count)
    }
}
