import FolioRML

/// A paragraph style (`<paraStyle>`), with ReportLab's defaults and attribute names.
public struct ParagraphStyle: Sendable {
    public var name: String
    public var fontName = "Helvetica"
    public var fontSize = 10.0
    public var leading = 12.0
    public var leftIndent = 0.0
    public var rightIndent = 0.0
    public var firstLineIndent = 0.0
    public var alignment = TextAlignment.left
    public var spaceBefore = 0.0
    public var spaceAfter = 0.0
    public var textColor = Color.black
    public var backColor: Color?
    public var bulletFontName = "Helvetica"
    public var bulletFontSize = 10.0
    public var bulletIndent = 0.0
    public var bulletColor: Color?
    public var borderWidth = 0.0
    public var borderColor: Color?
    /// Border padding: top, right, bottom, left (CSS order, as ReportLab accepts it).
    public var borderPadding: [Double] = [0, 0, 0, 0]
    public var borderRadius: Double?
    public var textTransform: String?
    public var keepWithNext = false
    public var wordWrap: String?
    public var allowOrphans = false
    public var allowWidows = true
    public var underline = false
    public var strike = false
    public var underlineStyle: Decoration?
    public var strikeStyle: Decoration?

    public init(name: String) { self.name = name }

    /// Applies the style attributes present on an element (`paraStyle`, or overrides on `para`).
    public mutating func apply(_ e: RMLElement, diagnostics: DiagnosticSink, colors: [String: Color]) throws(RMLError) {
        if let v = e["fontName"] { fontName = v }
        // As in ReportLab, fontSize does not change leading: a style that enlarges the font sets both.
        if let v = try e.length("fontSize", diagnostics: diagnostics) { fontSize = v }
        if let v = try e.length("leading", diagnostics: diagnostics) { leading = v }
        if let v = try e.length("leftIndent", diagnostics: diagnostics) { leftIndent = v }
        if let v = try e.length("rightIndent", diagnostics: diagnostics) { rightIndent = v }
        if let v = try e.length("firstLineIndent", diagnostics: diagnostics) { firstLineIndent = v }
        if let v = try e.length("spaceBefore", diagnostics: diagnostics) { spaceBefore = v }
        if let v = try e.length("spaceAfter", diagnostics: diagnostics) { spaceAfter = v }
        if let v = try e.color("textColor", diagnostics: diagnostics, userColors: colors) { textColor = v }
        if let v = try e.color("backColor", diagnostics: diagnostics, userColors: colors) { backColor = v }
        if let v = e["bulletFontName"] { bulletFontName = v }
        if let v = try e.length("bulletFontSize", diagnostics: diagnostics) { bulletFontSize = v }
        if let v = try e.length("bulletIndent", diagnostics: diagnostics) { bulletIndent = v }
        if let v = try e.color("bulletColor", diagnostics: diagnostics, userColors: colors) { bulletColor = v }
        if let v = try e.length("borderWidth", diagnostics: diagnostics) { borderWidth = v }
        if let v = try e.color("borderColor", diagnostics: diagnostics, userColors: colors) { borderColor = v }
        if let v = try e.lengths("borderPadding", diagnostics: diagnostics) {
            switch v.count {
            case 1: borderPadding = [v[0], v[0], v[0], v[0]]
            case 2: borderPadding = [v[0], v[1], v[0], v[1]]
            case 3: borderPadding = [v[0], v[1], v[2], v[1]]
            case 4: borderPadding = v
            default: try diagnostics.warn("borderPadding takes 1 to 4 lengths", at: e.location)
            }
        }
        if let v = try e.length("borderRadius", diagnostics: diagnostics) { borderRadius = v }
        if let v = e["textTransform"] { textTransform = v }
        if let v = e["wordWrap"] { wordWrap = v }
        if let v = try e.bool("keepWithNext", diagnostics: diagnostics) { keepWithNext = v }
        if let v = try e.bool("allowOrphans", diagnostics: diagnostics) { allowOrphans = v }
        if let v = try e.bool("allowWidows", diagnostics: diagnostics) { allowWidows = v }
        if let v = try e.bool("underline", diagnostics: diagnostics) { underline = v }
        if let v = try e.bool("strike", diagnostics: diagnostics) { strike = v }
        if let d = try Self.decoration(e, prefix: "underline", base: underlineStyle, diagnostics: diagnostics, colors: colors) { underlineStyle = d }
        if let d = try Self.decoration(e, prefix: "strike", base: strikeStyle, diagnostics: diagnostics, colors: colors) { strikeStyle = d }
        if let raw = e["alignment"] {
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "left", "0", "ta_left": alignment = .left
            case "center", "centre", "centred", "centered", "1", "ta_center": alignment = .center
            case "right", "2", "ta_right": alignment = .right
            case "justify", "justified", "4", "ta_justify": alignment = .justify
            default:
                try diagnostics.warn("attribute 'alignment' on <\(e.name)>: unknown alignment '\(raw)', left used", at: e.location)
            }
        }
    }

    /// Reads `underlineColor`, `underlineWidth`, `underlineOffset`, `underlineGap`, `underlineKind`
    /// (or the `strike…` equivalents).
    static func decoration(_ e: RMLElement, prefix: String, base: Decoration?, diagnostics: DiagnosticSink,
                           colors: [String: Color]) throws(RMLError) -> Decoration? {
        let names = ["Color", "Width", "Offset", "Gap", "Kind"].map { prefix + $0 }
        guard names.contains(where: { e.has($0) }) else { return nil }
        var d = base ?? Decoration()
        if let c = try e.color(prefix + "Color", diagnostics: diagnostics, userColors: colors) { d.color = c }
        for (name, path) in [("Width", \Decoration.width), ("Offset", \Decoration.offset), ("Gap", \Decoration.gap)] {
            guard let raw = e[prefix + name] else { continue }
            if let v = FontRelativeLength.parse(raw) { d[keyPath: path] = v }
            else { try diagnostics.warn("attribute '\(prefix + name)' on <\(e.name)>: '\(raw)' is not a length", at: e.location) }
        }
        if let kind = e[prefix + "Kind"]?.lowercased() {
            d.count = ["single": 1, "double": 2, "triple": 3][kind] ?? 1
        }
        return d
    }

    /// ReportLab's sample stylesheet, which z3c.rml documents start from.
    public static let defaults: [String: ParagraphStyle] = {
        var out: [String: ParagraphStyle] = [:]
        func make(_ name: String, _ font: String, _ size: Double, _ leading: Double, before: Double = 0, after: Double = 0,
                  align: TextAlignment = .left, indent: Double = 0, first: Double = 0) {
            var s = ParagraphStyle(name: name)
            s.fontName = font; s.fontSize = size; s.leading = leading
            s.spaceBefore = before; s.spaceAfter = after; s.alignment = align
            s.leftIndent = indent; s.firstLineIndent = first
            out[name] = s
        }
        make("Normal", "Helvetica", 10, 12)
        make("BodyText", "Helvetica", 10, 12, before: 6)
        make("Italic", "Helvetica-Oblique", 10, 12, before: 6)
        make("Title", "Helvetica-Bold", 18, 22, after: 6, align: .center)
        make("Heading1", "Helvetica-Bold", 18, 22, after: 6)
        make("Heading2", "Helvetica-Bold", 14, 18, before: 12, after: 6)
        make("Heading3", "Helvetica-BoldOblique", 12, 14, before: 12, after: 6)
        make("Heading4", "Helvetica-BoldOblique", 10, 12, before: 10, after: 4)
        make("Heading5", "Helvetica-Bold", 9, 10.8, before: 8, after: 4)
        make("Heading6", "Helvetica-Bold", 7, 8.4, before: 6, after: 2)
        make("Bullet", "Helvetica", 10, 12, before: 3, first: 0)
        make("Definition", "Helvetica", 10, 12, before: 6, indent: 36, first: 0)
        out["Definition"]!.bulletFontName = "Helvetica-BoldOblique"
        make("Code", "Courier", 8, 8.8, indent: 36)
        for (k, v) in out { out[k.lowercased()] = v }
        out["h1"] = out["Heading1"]; out["h2"] = out["Heading2"]; out["h3"] = out["Heading3"]
        out["h4"] = out["Heading4"]; out["h5"] = out["Heading5"]; out["h6"] = out["Heading6"]
        return out
    }()
}
