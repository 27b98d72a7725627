import FolioRML

/// A font face as the layout knows it: a fontconfig family with weight and slant.
public struct FontFace: Sendable, Hashable, CustomStringConvertible {
    public var family: String
    public var bold: Bool
    public var italic: Bool
    public init(family: String, bold: Bool = false, italic: Bool = false) {
        self.family = family; self.bold = bold; self.italic = italic
    }
    public var description: String { family + (bold ? " Bold" : "") + (italic ? " Italic" : "") }
}

/// One positioned glyph of a shaped run: glyph index in its font and offset from the run origin.
public struct Glyph: Sendable, Hashable {
    public var id: UInt32
    public var x: Double
    public var y: Double
    public init(id: UInt32, x: Double, y: Double) { self.id = id; self.x = x; self.y = y }
}

/// Text already shaped into glyphs of one font at one size.
public struct GlyphRun: Sendable, Hashable {
    /// The concrete font (after fallback) as a Pango font description string, e.g. "Liberation Sans Bold 12".
    public var font: String
    public var size: Double
    public var glyphs: [Glyph]
    /// The characters the glyphs stand for (for text extraction and search in the PDF).
    public var text: String
    /// Byte offset into `text` of each glyph's cluster (Pango's log_clusters).
    public var clusters: [Int32]
    /// Whether the run was shaped right to left.
    public var rightToLeft: Bool
    public init(font: String, size: Double, glyphs: [Glyph], text: String, clusters: [Int32], rightToLeft: Bool) {
        self.font = font; self.size = size; self.glyphs = glyphs; self.text = text
        self.clusters = clusters; self.rightToLeft = rightToLeft
    }
}

/// One segment of a path.
public enum PathElement: Sendable, Hashable {
    case move(Double, Double)
    case line(Double, Double)
    case curve(Double, Double, Double, Double, Double, Double)
    case close
}

/// How a path is painted.
public struct PaintMode: Sendable, Hashable {
    public var fill: Bool
    public var stroke: Bool
    public var evenOdd: Bool
    public init(fill: Bool, stroke: Bool, evenOdd: Bool = false) { self.fill = fill; self.stroke = stroke; self.evenOdd = evenOdd }
}

/// Where a link points.
public enum LinkTarget: Sendable, Hashable {
    case uri(String)
    case destination(String)
}

/// A decoded raster image, kept as encoded bytes so pages stay small; the renderer decodes.
public struct ImageSource: Sendable, Hashable {
    /// A key identifying the image (its resolved path or a content hash), so renderers can cache decodes.
    public var key: String
    public var data: [UInt8]
    public var pixelWidth: Int
    public var pixelHeight: Int
    /// For vector images (SVG): the intrinsic size in points.
    public var vectorSize: Size?
    /// Whether the bytes are an SVG document.
    public var isSVG: Bool { vectorSize != nil }
    /// The size the image takes when no size is given (pixels count as points, as in ReportLab).
    public var naturalWidth: Double { vectorSize?.width ?? Double(pixelWidth) }
    public var naturalHeight: Double { vectorSize?.height ?? Double(pixelHeight) }
    public init(key: String, data: [UInt8], pixelWidth: Int, pixelHeight: Int) {
        self.key = key; self.data = data; self.pixelWidth = pixelWidth; self.pixelHeight = pixelHeight
    }
    // Identity is the key: comparing or hashing the bytes of every image would be wasted work.
    public static func == (a: ImageSource, b: ImageSource) -> Bool { a.key == b.key && a.data.count == b.data.count }
    public func hash(into h: inout Hasher) { h.combine(key) }
}

/// One drawing operation of a page's display list, in points with origin bottom-left and y up.
public enum DrawOp: Sendable {
    case save
    case restore
    case transform(AffineTransform)
    case fillColor(Color)
    case strokeColor(Color)
    case lineWidth(Double)
    /// Dash lengths and phase; empty = solid.
    case dash([Double], Double)
    /// 0 butt, 1 round, 2 square (PDF values).
    case lineCap(Int)
    /// 0 miter, 1 round, 2 bevel.
    case lineJoin(Int)
    case path([PathElement], PaintMode)
    case clip([PathElement], evenOdd: Bool)
    /// Glyphs drawn with their baseline origin at (x, y) in the fill colour.
    case glyphs(GlyphRun, x: Double, y: Double)
    /// An image drawn into a rectangle.
    case image(ImageSource, Rect)
    /// A clickable area.
    case link(Rect, LinkTarget)
    /// A named destination at a point (target of links and outline entries).
    case destination(String, x: Double, y: Double)
    /// An outline (bookmark) entry pointing at a named destination.
    case outline(title: String, level: Int, destination: String, closed: Bool)
}

/// A laid-out page: its size and display list. Pages are produced one at a time and are independent.
public struct Page: Sendable {
    public var number: Int
    public var width: Double
    public var height: Double
    public var ops: [DrawOp]
    public init(number: Int, width: Double, height: Double, ops: [DrawOp] = []) {
        self.number = number; self.width = width; self.height = height; self.ops = ops
    }
}

/// Document-wide metadata for the renderer.
public struct DocumentInfo: Sendable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var creator: String = "Folio"
    public init() {}
}
