import FolioRML

/// Everything the layout of one document shares: the text shaper, styles, resources, diagnostics and
/// the running state (page number, named strings) that dynamic content reads.
public final class LayoutContext {
    /// Which RML implementation's defaults to follow where they differ.
    public var dialect = RMLDialect.z3c
    /// Set when the user chose the dialect; otherwise it is detected from the document.
    public var dialectOverride: RMLDialect? {
        didSet { if let d = dialectOverride { dialect = d } }
    }
    public let shaper: TextShaper
    public let diagnostics: DiagnosticSink
    public let resolver: ResourceResolver
    public var styles: [String: ParagraphStyle] = ParagraphStyle.defaults
    public var tableStyles: [String: [RMLElement]] = [:]
    public var listStyles: [String: RMLElement] = [:]
    /// `<spanStyle>`s: only the attributes they set apply to the text they style.
    public var spanStyles: [String: RMLElement] = [:]
    public var colors: [String: Color] = [:]
    /// RML font name → faces for bold/italic variants (`registerFontFamily`).
    public var fontFamilies: [String: (normal: String, bold: String, italic: String, boldItalic: String)] = [:]
    /// Font aliases (`<alias>` / `addMapping`).
    public var aliases: [String: String] = [:]
    /// `<images>`: named embedded images (OpenERP).
    public var namedImages: [String: [UInt8]] = [:]

    /// 1-based number of the page being laid out.
    public var pageNumber = 0
    /// Total page count, known in the second pass.
    public var pageCount: Int?
    /// `namedString` values defined so far; `finalNames` holds the values from the counting pass.
    public var names: [String: String] = [:]
    public var finalNames: [String: String] = [:]
    /// Names set in the stylesheet's `<initialize>`: the value before the story changes them.
    public var initialNames: [String: String] = [:]
    /// Sequence counters (`seq`).
    public var sequences: [String: Int] = [:]
    public var info = DocumentInfo()
    /// Whether the current pass only counts pages (nothing is drawn to the output).
    public var countingPass = false
    private var faceCache: [String: FontFace] = [:]
    private var unknownFonts = Set<String>()
    var imageCache: [String: ImageSource] = [:]

    public init(shaper: TextShaper, diagnostics: DiagnosticSink, resolver: ResourceResolver) {
        self.shaper = shaper
        self.diagnostics = diagnostics
        self.resolver = resolver
    }

    /// Resolves an RML font name, with bold/italic requested by inline markup.
    public func face(_ fontName: String, bold: Bool = false, italic: Bool = false, at location: SourceLocation?) -> FontFace {
        var name = aliases[fontName] ?? fontName
        if let fam = fontFamilies[name] ?? fontFamilies.first(where: { $0.value.normal == name })?.value {
            name = bold && italic ? fam.boldItalic : bold ? fam.bold : italic ? fam.italic : fam.normal
            if let f = cachedFace(name, at: location) { return f }
        }
        var face = cachedFace(name, at: location) ?? FontFace(family: "Liberation Sans")
        if bold { face.bold = true }
        if italic { face.italic = true }
        return face
    }

    private func cachedFace(_ name: String, at location: SourceLocation?) -> FontFace? {
        if let f = faceCache[name] { return f }
        if let f = shaper.face(forFontName: name) {
            faceCache[name] = f
            return f
        }
        if unknownFonts.insert(name).inserted {
            diagnostics.note("unknown font '\(name)', Helvetica (Liberation Sans) used", at: location)
        }
        return nil
    }

    /// The paragraph style with a name (or Normal, with a warning).
    public func style(_ name: String?, at location: SourceLocation?) throws(RMLError) -> ParagraphStyle {
        guard let name else { return styles["Normal"]! }
        if let s = styles[name] { return s }
        let stripped = name.hasPrefix("style.") ? String(name.dropFirst(6)) : name
        if let s = styles[stripped] ?? styles[stripped.lowercased()] { return s }
        try diagnostics.warn("unknown paragraph style '\(name)', Normal used", at: location)
        return styles["Normal"]!
    }

    /// Looks up a colour by attribute value.
    public func color(_ raw: String?, at location: SourceLocation?, default def: Color? = nil) throws(RMLError) -> Color? {
        guard let raw else { return def }
        if let c = Color.parse(raw, userColors: colors) { return c }
        let guess = Color.approximate(raw)
        try diagnostics.warn("unknown colour '\(raw)', \(guess == .black ? "black" : "a close colour") used", at: location)
        return guess
    }

    /// Reports characters that no bundled or registered font could display.
    public func flushMissingGlyphs(at location: SourceLocation?) {
        let missing = shaper.takeMissingCharacters()
        guard !missing.isEmpty else { return }
        let list = missing.sorted().map { c in
            "'\(c)' (U+" + String(c.unicodeScalars.first!.value, radix: 16, uppercase: true) + ")"
        }.joined(separator: ", ")
        diagnostics.note("no font has a glyph for \(list)", at: location)
    }
}

/// RML implementations disagree on a few defaults; Folio follows one of them per document.
public enum RMLDialect: String, Sendable {
    /// z3c.rml (the open reference implementation): frames without padding.
    case z3c
    /// OpenERP's trml2pdf / ReportLab platypus defaults: frames with 6 pt padding.
    case openerp

    /// Padding of a frame that does not set its own.
    public var defaultFramePadding: Double { self == .openerp ? 6 : 0 }

    /// The dialect a document is written in, when not chosen explicitly: OpenERP's reports spell the
    /// page size `pageSize` (z3c.rml: `pagesize`).
    public static func detect(_ doc: RMLDocument) -> RMLDialect {
        doc.template?["pageSize"] != nil ? .openerp : .z3c
    }
}
