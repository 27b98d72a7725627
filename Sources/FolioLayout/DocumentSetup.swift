import FolioRML
import Foundation

/// Applies `<docinit>` (fonts, colours, aliases), `<stylesheet>` and OpenERP's `<images>` to a context.
enum DocumentSetup {
    static func apply(_ doc: RMLDocument, _ ctx: LayoutContext) throws(RMLError) {
        let d = ctx.diagnostics
        if let t = doc.template {
            ctx.info.title = t["title"]
            ctx.info.author = t["author"]
            ctx.info.subject = t["subject"]
        }
        if let init_ = doc.docinit {
            var type1Faces: [String: String] = [:]   // face name → pfb path
            for e in init_.elements {
                switch e.name {
                case "registerTTFont", "registerFont" where e.has("fileName") || e.has("fontFile"):
                    let name = e["faceName"] ?? e["name"] ?? e["fontName"] ?? ""
                    let file = e["fileName"] ?? e["fontFile"] ?? ""
                    try register(name, file, e, ctx)
                case "registerType1Face":
                    // Pango (HarfBuzz) cannot shape Type 1 fonts: say so where the font is declared.
                    try d.warn("Type 1 fonts (\(e["pfbFile"] ?? "pfb")) are not supported; convert the font to OpenType/TrueType. Text in it falls back to Helvetica", at: e.location)
                    if let pfb = e["pfbFile"], let path = ctx.resolver.resolve(pfb) {
                        // The face name is in the AFM; fall back to the file's base name.
                        var faceName = (pfb as NSString).deletingPathExtension
                        faceName = (faceName as NSString).lastPathComponent
                        if let afm = e["afmFile"], let afmPath = ctx.resolver.resolve(afm),
                           let text = try? String(contentsOfFile: afmPath, encoding: .isoLatin1),
                           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("FontName ") }) {
                            faceName = String(line.dropFirst(9)).trimmingCharacters(in: .whitespacesAndNewlines)
                        }
                        type1Faces[faceName] = path
                    } else {
                        try d.warn("font file '\(e["pfbFile"] ?? "")' not found", at: e.location)
                    }
                case "registerFont":
                    if let name = e["name"], let face = e["faceName"], let path = type1Faces[face] {
                        try register(name, path, e, ctx)
                    } else if let name = e["name"], let face = e["faceName"] {
                        ctx.aliases[name] = face
                    }
                case "registerFontFamily":
                    guard let name = e["name"] else { continue }
                    let normal = e["normal"] ?? name
                    ctx.fontFamilies[name] = (normal, e["bold"] ?? normal, e["italic"] ?? normal, e["boldItalic"] ?? e["bold"] ?? normal)
                case "addMapping":
                    if let face = e["faceName"], let psName = e["psName"] {
                        let bold = RMLValue.bool(e["bold"] ?? "0") ?? false
                        let italic = RMLValue.bool(e["italic"] ?? "0") ?? false
                        var fam = ctx.fontFamilies[face] ?? (face, face, face, face)
                        switch (bold, italic) {
                        case (false, false): fam.normal = psName
                        case (true, false): fam.bold = psName
                        case (false, true): fam.italic = psName
                        case (true, true): fam.boldItalic = psName
                        }
                        ctx.fontFamilies[face] = fam
                    }
                case "color":
                    guard let id = e["id"] else { continue }
                    let raw = e["value"] ?? e["RGB"].map { "#" + $0 } ?? e["CMYK"].map { "cmyk(" + $0 + ")" }
                    if let raw, let c = Color.parse(raw, userColors: ctx.colors) {
                        ctx.colors[id] = c
                    } else if let r = e["red"], let g = e["green"], let b = e["blue"],
                              let c = Color.parse("(\(r),\(g),\(b))") {
                        ctx.colors[id] = c
                    } else {
                        try d.warn("<color id='\(id)'> has no usable value", at: e.location)
                    }
                case "alias":
                    if let id = e["id"], let value = e["value"] {
                        let target = value.hasPrefix("style.") ? String(value.dropFirst(6)) : value
                        if let s = ctx.styles[target] { ctx.styles[id] = s }
                    }
                default:
                    break
                }
            }
        }
        if let sheet = doc.stylesheet {
            for e in sheet.elements {
                switch e.name {
                case "paraStyle":
                    guard var name = e["name"] else {
                        try d.warn("<paraStyle> without a name is ignored", at: e.location)
                        continue
                    }
                    // z3c.rml names the sample stylesheet's styles "style.Normal" etc.
                    if name.hasPrefix("style.") { name = String(name.dropFirst(6)) }
                    var s: ParagraphStyle
                    if let parent = e["parent"] {
                        s = try ctx.style(parent, at: e.location)
                    } else if let existing = ctx.styles[name] {
                        s = existing
                    } else {
                        s = ctx.styles["Normal"]!
                    }
                    s.name = name
                    try s.apply(e, diagnostics: d, colors: ctx.colors)
                    ctx.styles[name] = s
                    if let alias = e["alias"] { ctx.styles[alias] = s }
                case "blockTableStyle":
                    guard let id = e["id"] else { continue }
                    ctx.tableStyles[id] = e.elements
                case "spanStyle":
                    if let name = e["name"] { ctx.spanStyles[name] = e }
                case "listStyle":
                    if let name = e["name"] { ctx.listStyles[name] = e }
                case "initialize":
                    for n in e.elements where n.name == "name" || n.name == "namedString" {
                        if let id = n["id"] { ctx.initialNames[id] = n["value"] ?? n.text }
                    }
                    for a in e.elements(named: "alias") {
                        if let id = a["id"], let value = a["value"] {
                            let target = value.hasPrefix("style.") ? String(value.dropFirst(6)) : value
                            if let s = ctx.styles[target] { ctx.styles[id] = s }
                        }
                    }
                default:
                    break
                }
            }
        }
        for images in doc.root.elements(named: "images") {
            for img in images.elements(named: "image") {
                if let name = img["name"],
                   let data = Data(base64Encoded: img.text, options: .ignoreUnknownCharacters) {
                    ctx.namedImages[name] = [UInt8](data)
                }
            }
        }
    }

    private static func register(_ name: String, _ file: String, _ e: RMLElement, _ ctx: LayoutContext) throws(RMLError) {
        guard !name.isEmpty else {
            try ctx.diagnostics.warn("<\(e.name)> needs a face name", at: e.location)
            return
        }
        guard let path = ctx.resolver.resolve(file) else {
            try ctx.diagnostics.warn("font file '\(file)' not found; '\(name)' falls back to Helvetica", at: e.location)
            return
        }
        do {
            _ = try ctx.shaper.registerFont(name: name, path: path)
        } catch {
            try ctx.diagnostics.warn("cannot use font file '\(file)': \(error.message)", at: e.location)
        }
    }
}
