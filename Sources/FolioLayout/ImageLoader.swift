import FolioRML
import Foundation

/// Reads image files for the layout: the bytes stay encoded (the renderer decodes), but the pixel
/// size is read from the header so images can be measured without decoding.
enum ImageLoader {
    /// Loads an image by reference (file, `data:` URI, or a name from `<images>`).
    static func load(_ reference: String, _ ctx: LayoutContext, at location: SourceLocation) throws(RMLError) -> ImageSource? {
        if let cached = ctx.imageCache[reference] { return cached }
        let bytes = ctx.namedImages[reference] ?? ctx.resolver.load(reference)
        guard let bytes else {
            try ctx.diagnostics.warn("image '\(reference)' not found", at: location)
            return nil
        }
        let key = ctx.resolver.resolve(reference) ?? reference
        var source: ImageSource
        if let (w, h) = pixelSize(bytes) {
            source = ImageSource(key: key, data: bytes, pixelWidth: w, pixelHeight: h)
        } else if let size = svgSize(bytes) {
            source = ImageSource(key: key, data: bytes, pixelWidth: Int(size.width.rounded()), pixelHeight: Int(size.height.rounded()))
            source.vectorSize = size
        } else {
            try ctx.diagnostics.warn("image '\(reference)' is not a PNG, JPEG, GIF or SVG file", at: location)
            return nil
        }
        ctx.imageCache[reference] = source
        return source
    }

    /// The intrinsic size of an SVG document in points: its root's `width`/`height` when absolute,
    /// otherwise its `viewBox`.
    static func svgSize(_ b: [UInt8]) -> Size? {
        let head = String(decoding: b.prefix(65536), as: UTF8.self)
        guard let start = head.range(of: "<svg"), let end = head[start.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = String(head[start.upperBound..<end])
        func attribute(_ name: String) -> String? {
            guard let r = tag.range(of: "(^|\\s)\(name)\\s*=\\s*[\"']([^\"']*)[\"']", options: .regularExpression) else { return nil }
            let m = tag[r]
            guard let q = m.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return nil }
            return String(m[m.index(after: q)...].dropLast())
        }
        func length(_ raw: String?) -> Double? {
            guard var s = raw?.trimmingCharacters(in: .whitespaces), !s.hasSuffix("%") else { return nil }
            if s.hasSuffix("px") { s.removeLast(2) }
            return RMLValue.length(s).flatMap { $0 > 0 ? $0 : nil }
        }
        if let w = length(attribute("width")), let h = length(attribute("height")) { return Size(width: w, height: h) }
        if let vb = attribute("viewBox") {
            let n = vb.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            if n.count == 4, n[2] > 0, n[3] > 0 { return Size(width: n[2], height: n[3]) }
        }
        return nil
    }

    /// Width and height in pixels from a PNG, JPEG or GIF header.
    static func pixelSize(_ b: [UInt8]) -> (Int, Int)? {
        if b.count >= 24, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 {
            let w = Int(b[16]) << 24 | Int(b[17]) << 16 | Int(b[18]) << 8 | Int(b[19])
            let h = Int(b[20]) << 24 | Int(b[21]) << 16 | Int(b[22]) << 8 | Int(b[23])
            return w > 0 && h > 0 ? (w, h) : nil
        }
        if b.count >= 10, b[0] == 0x47, b[1] == 0x49, b[2] == 0x46 {
            let w = Int(b[6]) | Int(b[7]) << 8, h = Int(b[8]) | Int(b[9]) << 8
            return w > 0 && h > 0 ? (w, h) : nil
        }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { i += 1; continue }
                let marker = b[i + 1]
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let len = Int(b[i + 2]) << 8 | Int(b[i + 3])
                if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                    let h = Int(b[i + 5]) << 8 | Int(b[i + 6])
                    let w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                    return w > 0 && h > 0 ? (w, h) : nil
                }
                i += 2 + len
            }
        }
        return nil
    }
}
