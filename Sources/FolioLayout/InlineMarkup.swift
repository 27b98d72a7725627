import FolioRML
import Foundation

/// Turns a paragraph's mixed content (text with `b`, `i`, `font`, `span`, `a`, `br`, `pageNumber`…)
/// into styled text, collapsing whitespace as ReportLab does.
struct InlineMarkup {
    let ctx: LayoutContext
    /// Keep whitespace and line breaks (`pre`, `xpre`, table cell text).
    var preserveWhitespace = false

    /// Font state while walking the markup.
    struct State {
        var fontName: String
        var bold = false
        var italic = false
        var size: Double
        var color: Color
        var underline = false
        var strike = false
        var underlineStyle: Decoration?
        var strikeStyle: Decoration?
        var rise = 0.0
        var link: LinkTarget?
        var backColor: Color?
        var textTransform: String?
    }

    /// Whether the element's text depends on where it is placed (page number, names, counts).
    static func isDynamic(_ e: RMLElement) -> Bool {
        for c in e.elements {
            switch c.name {
            case "pageNumber", "pageCount", "getName", "evalString", "seq", "seqreset", "seqReset", "name", "namedString": return true
            default: if isDynamic(c) { return true }
            }
        }
        return false
    }

    func build(_ e: RMLElement, style: ParagraphStyle) throws(RMLError) -> StyledText {
        var out = StyledText()
        var state = State(fontName: style.fontName, size: style.fontSize, color: style.textColor)
        state.textTransform = style.textTransform
        state.underline = style.underline
        state.strike = style.strike
        state.underlineStyle = style.underlineStyle
        state.strikeStyle = style.strikeStyle
        var pendingSpace = false
        var atStart = true
        try walk(e.children, state: state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: e.location)
        return out
    }

    private func inlineStyle(_ s: State, at location: SourceLocation) -> InlineStyle {
        var st = InlineStyle(face: ctx.face(s.fontName, bold: s.bold, italic: s.italic, at: location), size: s.size, color: s.color)
        st.underline = s.underline
        st.strike = s.strike
        st.underlineStyle = s.underlineStyle
        st.strikeStyle = s.strikeStyle
        st.rise = s.rise
        st.link = s.link
        st.backColor = s.backColor
        return st
    }

    private func emit(_ raw: String, _ s: State, out: inout StyledText, pendingSpace: inout Bool, atStart: inout Bool, location: SourceLocation) {
        var text = raw
        switch s.textTransform?.lowercased() {
        case "uppercase": text = text.uppercased()
        case "lowercase": text = text.lowercased()
        case "capitalize": text = text.capitalized
        default: break
        }
        let style = inlineStyle(s, at: location)
        if preserveWhitespace {
            out.append(text, style)
            atStart = false
            return
        }
        // Collapse runs of whitespace to one space; drop leading space of the paragraph.
        var buffer = ""
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: bytes are characters (CR LF, one character, is whitespace as its parts are).
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for b in text.utf8 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = true
                } else {
                    if pendingSpace && !atStart { bytes.append(0x20) }
                    pendingSpace = false
                    atStart = false
                    bytes.append(b)
                }
            }
            out.append(String(decoding: bytes, as: UTF8.self), style)
            return
        }
        for ch in text {
            if ch.isWhitespace && ch != "\u{00A0}" {
                pendingSpace = true
            } else {
                if pendingSpace && !atStart { buffer.append(" ") }
                pendingSpace = false
                atStart = false
                buffer.append(ch)
            }
        }
        out.append(buffer, style)
    }

    /// Applies the attributes a `spanStyle` sets (and only those).
    private func apply(_ span: RMLElement, to s: inout State) throws(RMLError) {
        let d = ctx.diagnostics
        if let f = span["fontName"] { s.fontName = f; s.bold = false; s.italic = false }
        if let v = try span.length("fontSize", diagnostics: d) { s.size = v }
        if let c = try span.color("textColor", diagnostics: d, userColors: ctx.colors) { s.color = c }
        if let c = try span.color("backColor", diagnostics: d, userColors: ctx.colors) { s.backColor = c }
        if let t = span["textTransform"] { s.textTransform = t }
        if let u = try span.bool("underline", diagnostics: d) { s.underline = u }
        if let u = try span.bool("strike", diagnostics: d) { s.strike = u }
        if let dec = try ParagraphStyle.decoration(span, prefix: "underline", base: s.underlineStyle, diagnostics: d, colors: ctx.colors) {
            s.underlineStyle = dec
        }
        if let dec = try ParagraphStyle.decoration(span, prefix: "strike", base: s.strikeStyle, diagnostics: d, colors: ctx.colors) {
            s.strikeStyle = dec
        }
    }

    private func walk(_ nodes: [RMLNode], state: State, out: inout StyledText, pendingSpace: inout Bool, atStart: inout Bool,
                      location: SourceLocation) throws(RMLError) {
        for node in nodes {
            switch node {
            case .text(let t):
                emit(t, state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: location)
            case .element(let e):
                var s = state
                let loc = e.location
                switch e.name {
                case "b", "strong": s.bold = true
                case "i", "em": s.italic = true
                case "u": s.underline = true
                case "strike", "s", "del": s.strike = true
                case "super", "sup":
                    s.rise = state.rise + state.size * 0.5
                    s.size = state.size * 0.6
                case "sub":
                    s.rise = state.rise - state.size * 0.2
                    s.size = state.size * 0.6
                case "font", "span", "a", "link":
                    if e.name == "span", let styleName = e["style"] {
                        if let span = ctx.spanStyles[styleName] {
                            try apply(span, to: &s)
                        } else if let spanStyle = ctx.styles[styleName] {
                            s.fontName = spanStyle.fontName
                            s.size = spanStyle.fontSize
                            s.color = spanStyle.textColor
                            s.backColor = spanStyle.backColor ?? s.backColor
                            if let t = spanStyle.textTransform { s.textTransform = t }
                            if spanStyle.underline { s.underline = true; s.underlineStyle = spanStyle.underlineStyle ?? s.underlineStyle }
                            if spanStyle.strike { s.strike = true; s.strikeStyle = spanStyle.strikeStyle ?? s.strikeStyle }
                        } else {
                            try ctx.diagnostics.warn("unknown span style '\(styleName)'", at: loc)
                        }
                    }
                    if let f = e["face"] ?? e["name"].flatMap({ e.name == "font" ? $0 : nil }) ?? e["fontName"] ?? e["fontname"] {
                        s.fontName = f
                        // An explicit face replaces any bold/italic inherited from the markup.
                        if ctx.fontFamilies[f] == nil { s.bold = false; s.italic = false }
                    }
                    if let v = e["size"] ?? e["fontSize"] ?? e["fontsize"] {
                        if let d = RMLValue.length(v) { s.size = d }
                        else { try ctx.diagnostics.warn("<\(e.name)> size '\(v)' is not a length", at: loc) }
                    }
                    if let c = e["color"] ?? e["fg"] ?? e["textColor"] ?? e["fontColor"] {
                        s.color = try ctx.color(c, at: loc) ?? s.color
                    }
                    if let c = e["backColor"] ?? e["bgcolor"] ?? e["backcolor"] { s.backColor = try ctx.color(c, at: loc) }
                    if let t = e["textTransform"] { s.textTransform = t }
                    if let v = e["underline"], RMLValue.bool(v) == true { s.underline = true }
                    if let v = e["strike"], RMLValue.bool(v) == true { s.strike = true }
                    if let d = try ParagraphStyle.decoration(e, prefix: "underline", base: s.underlineStyle,
                                                             diagnostics: ctx.diagnostics, colors: ctx.colors) { s.underlineStyle = d }
                    if let d = try ParagraphStyle.decoration(e, prefix: "strike", base: s.strikeStyle,
                                                             diagnostics: ctx.diagnostics, colors: ctx.colors) { s.strikeStyle = d }
                    if e.name == "a" || e.name == "link" {
                        if let href = e["href"] ?? e["destination"] {
                            s.link = href.hasPrefix("#") ? .destination(String(href.dropFirst())) : .uri(href)
                        }
                        if let name = e["name"], e.name == "a" {
                            // An anchor: a destination at this point of the text.
                            _ = name
                        }
                    }
                case "br":
                    out.append("\n", inlineStyle(state, at: loc))
                    pendingSpace = false
                    atStart = true
                    continue
                case "pageNumber":
                    emit(String(ctx.pageNumber + (Int(e["countingFrom"] ?? "1") ?? 1) - 1), state, out: &out,
                         pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
                    continue
                case "pageCount":
                    emit(ctx.pageCount.map(String.init) ?? "00", state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
                    continue
                case "getName":
                    let id = e["id"] ?? ""
                    let v = ctx.names[id] ?? ctx.finalNames[id] ?? e["default"] ?? ""
                    emit(v, state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
                    continue
                case "name", "namedString":
                    if let id = e["id"] {
                        ctx.names[id] = e["value"] ?? e.text
                    }
                    continue
                case "seq":
                    let id = e["id"] ?? "default"
                    let n = (ctx.sequences[id] ?? 0) + 1
                    ctx.sequences[id] = n
                    emit(String(n), state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
                    continue
                case "seqreset", "seqReset":
                    ctx.sequences[e["id"] ?? "default"] = Int(e["base"] ?? "0") ?? 0
                    continue
                case "unichar":
                    if let code = e["code"], let v = UInt32(code.hasPrefix("0x") ? String(code.dropFirst(2)) : code, radix: 16),
                       let scalar = Unicode.Scalar(v) {
                        emit(String(Character(scalar)), state, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
                    }
                    continue
                case "img":
                    if let src = e["src"] ?? e["file"], let img = try ImageLoader.load(src, ctx, at: loc) {
                        let w = try e.length("width", diagnostics: ctx.diagnostics) ?? img.naturalWidth
                        let h = try e.length("height", diagnostics: ctx.diagnostics) ?? img.naturalHeight
                        var st = inlineStyle(state, at: loc)
                        var rise = 0.0
                        switch (e["valign"] ?? "").lowercased() {
                        case "middle": rise = state.size * 0.3 - h / 2
                        case "top", "text-top": rise = state.size - h
                        case "bottom", "text-bottom": rise = -state.size * 0.2
                        default: if let v = RMLValue.length(e["valign"] ?? "") { rise = v }
                        }
                        st.image = InlineImage(source: img, width: w, height: h, rise: rise)
                        if pendingSpace && !atStart { out.append(" ", inlineStyle(state, at: loc)) }
                        pendingSpace = false
                        atStart = false
                        out.append(InlineImage.placeholder, st)
                    }
                    continue
                case "index", "bullet", "onDraw", "evalString":
                    continue
                case "greek":
                    s.fontName = "Symbol"
                case "nobr":
                    break
                default:
                    break
                }
                try walk(e.children, state: s, out: &out, pendingSpace: &pendingSpace, atStart: &atStart, location: loc)
            }
        }
    }
}
