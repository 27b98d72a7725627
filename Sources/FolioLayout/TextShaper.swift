import FolioRML

/// The character style of a stretch of paragraph text.
public struct InlineStyle: Sendable, Hashable {
    public var face: FontFace
    public var size: Double
    public var color: Color
    public var underline: Bool = false
    public var strike: Bool = false
    /// How underline and strike-through lines look (nil: ReportLab's defaults).
    public var underlineStyle: Decoration?
    public var strikeStyle: Decoration?
    /// Baseline shift in points (positive = up), for super- and subscript.
    public var rise: Double = 0
    public var link: LinkTarget?
    public var backColor: Color?
    /// An image standing in the text (`<img>` inside a paragraph), drawn on the baseline.
    public var image: InlineImage?
    public init(face: FontFace, size: Double, color: Color) {
        self.face = face; self.size = size; self.color = color
    }
}

/// The look of an underline or strike-through: lengths are in points or fractions of the font size.
public struct Decoration: Sendable, Hashable {
    public var color: Color?
    public var width: FontRelativeLength?
    public var offset: FontRelativeLength?
    public var gap: FontRelativeLength?
    /// single = 1, double = 2, triple = 3.
    public var count = 1
    public init() {}
}

/// A length written either in points or relative to the font size (`0.1F`, `0.5*F`).
public struct FontRelativeLength: Sendable, Hashable {
    public var points: Double
    public var fontFactor: Double
    public init(points: Double = 0, fontFactor: Double = 0) { self.points = points; self.fontFactor = fontFactor }
    public func value(fontSize: Double) -> Double { points + fontFactor * fontSize }

    /// Parses `2`, `1pt`, `0.1F`, `-0.125*F`, `0.5f`.
    public static func parse(_ raw: String) -> FontRelativeLength? {
        var s = raw.trimmingCharacters(in: .whitespaces)
        if s.uppercased().hasSuffix("F") {
            s = String(s.dropLast()).trimmingCharacters(in: .whitespaces)
            if s.hasSuffix("*") { s = String(s.dropLast()) }
            if s.isEmpty { return FontRelativeLength(fontFactor: 1) }
            return Double(s).map { FontRelativeLength(fontFactor: $0) }
        }
        return RMLValue.length(s).map { FontRelativeLength(points: $0) }
    }
}

/// An image placed inline in paragraph text.
public struct InlineImage: Sendable, Hashable {
    public var source: ImageSource
    public var width: Double
    public var height: Double
    /// Baseline shift of the image's bottom edge (negative = below the baseline).
    public var rise: Double
    public init(source: ImageSource, width: Double, height: Double, rise: Double = 0) {
        self.source = source; self.width = width; self.height = height; self.rise = rise
    }

    /// The character that stands for an inline image in the text.
    public static let placeholder = "\u{FFFC}"
}

/// Paragraph text with styled spans. Span ranges are UTF-8 byte offsets into `text`.
public struct StyledText: Sendable, Hashable {
    public struct Span: Sendable, Hashable {
        public var range: Range<Int>
        public var style: InlineStyle
    }
    public private(set) var text: String = ""
    public private(set) var spans: [Span] = []
    private var byteCount = 0

    public init() {}

    /// Appends text in a style, merging with the previous span when the style is the same.
    public mutating func append(_ s: String, _ style: InlineStyle) {
        if s.isEmpty { return }
        let n = s.utf8.count
        if let last = spans.last, last.style == style, last.range.upperBound == byteCount {
            spans[spans.count - 1].range = last.range.lowerBound..<(byteCount + n)
        } else {
            spans.append(Span(range: byteCount..<(byteCount + n), style: style))
        }
        text += s
        byteCount += n
    }

    public var isEmpty: Bool { text.isEmpty }

    /// The text from a UTF-8 byte offset to the end, with its styles (the rest of a split paragraph).
    public func suffix(fromByte offset: Int) -> StyledText {
        var out = StyledText()
        let bytes = Array(text.utf8)
        guard offset < bytes.count else { return out }
        for span in spans where span.range.upperBound > offset {
            let lo = max(span.range.lowerBound, offset)
            out.append(String(decoding: bytes[lo..<span.range.upperBound], as: UTF8.self), span.style)
        }
        return out
    }
}

/// Horizontal alignment of paragraph lines.
public enum TextAlignment: String, Sendable { case left, center, right, justify }

/// A paragraph's shaping request.
public struct ParagraphShape: Sendable {
    public var text: StyledText
    /// Line width available (after left/right indents).
    public var width: Double
    /// Extra indent of the first line (may be negative).
    public var firstLineIndent: Double
    public var alignment: TextAlignment
    /// Whether to break lines at all (false for `pre`-like content: only explicit newlines break).
    public var wrap: Bool = true
    /// Break between any two characters (CJK word wrapping), not only at word boundaries.
    public var characterWrap = false
    public init(text: StyledText, width: Double, firstLineIndent: Double = 0, alignment: TextAlignment = .left) {
        self.text = text; self.width = width; self.firstLineIndent = firstLineIndent; self.alignment = alignment
    }
}

/// One shaped run of a line: glyphs in one font, positioned relative to the line's left edge and baseline.
public struct ShapedRun: Sendable {
    public var x: Double
    public var width: Double
    public var style: InlineStyle
    public var glyphs: GlyphRun
    public init(x: Double, width: Double, style: InlineStyle, glyphs: GlyphRun) {
        self.x = x; self.width = width; self.style = style; self.glyphs = glyphs
    }
}

/// One line of a shaped paragraph.
public struct ShapedLine: Sendable {
    /// Runs positioned from the paragraph's left edge (alignment and indent applied).
    public var runs: [ShapedRun]
    /// Left edge of the line's ink extent and its natural width.
    public var x: Double
    public var width: Double
    /// Largest font size on the line.
    public var maxFontSize: Double
    /// The UTF-8 byte range of the paragraph text this line shows, when the shaper knows it.
    public var byteRange: Range<Int>?
    public init(runs: [ShapedRun], x: Double, width: Double, maxFontSize: Double, byteRange: Range<Int>? = nil) {
        self.runs = runs; self.x = x; self.width = width; self.maxFontSize = maxFontSize; self.byteRange = byteRange
    }
}

/// Measures and shapes text. Implemented with Pango by `FolioRender`; tests may use a fixed-width fake.
///
/// Not thread-safe: one shaper per render.
public protocol TextShaper: AnyObject {
    /// Breaks and shapes a paragraph into lines.
    func shape(_ paragraph: ParagraphShape) -> [ShapedLine]
    /// Shapes a single line of text with no wrapping (canvas strings); x positions start at 0.
    func shapeLine(_ text: String, style: InlineStyle) -> ShapedLine
    /// Resolves an RML font name (`Helvetica-Bold`, a registered face name) to a face, or nil if unknown.
    func face(forFontName name: String) -> FontFace?
    /// Registers a TrueType/OpenType file under an RML font name. Throws a message when the file is unusable.
    func registerFont(name: String, path: String) throws(FontError) -> FontFace
    /// Characters that no available font could display, collected since the last call.
    func takeMissingCharacters() -> Set<Character>
}

/// A font file could not be used.
public struct FontError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
