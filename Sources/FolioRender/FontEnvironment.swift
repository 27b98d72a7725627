import CCairo
import FolioLayout
import Foundation

/// Fontconfig + Pango state for one render: Folio's bundled fonts only, plus the fonts a document
/// registers. Owned by one thread at a time (Pango font maps are not thread-safe).
public final class FontEnvironment {
    let config: OpaquePointer
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    private var fontCache: [String: OpaquePointer] = [:]
    private(set) var families: Set<String> = []
    /// Font files added to the bundled ones (`registerTTFont`), in order.
    private(set) var addedFontFiles: [String] = []

    /// Creates the environment from a folder holding the bundled fonts and `fonts.conf`.
    public init(fontsDirectory: String) throws(FontError) {
        let confPath = (fontsDirectory as NSString).appendingPathComponent("fonts.conf")
        guard FileManager.default.fileExists(atPath: confPath) else {
            throw FontError("Folio's font configuration is missing: \(confPath) (set FOLIO_FONTS to the fonts folder)")
        }
        guard let config = FcConfigCreate() else { throw FontError("fontconfig could not be initialised") }
        guard FcConfigParseAndLoad(config, confPath, 1) == 1 else {
            FcConfigDestroy(config)
            throw FontError("cannot load font configuration \(confPath)")
        }
        // The bundled folder is added explicitly too, so the config does not depend on the working directory.
        FcConfigAppFontAddDir(config, fontsDirectory)
        FcConfigBuildFonts(config)
        self.config = config
        let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        pango_fc_font_map_set_config(OpaquePointer(map), config)
        pango_cairo_font_map_set_resolution(OpaquePointer(map), 72)
        self.fontMap = map
        self.context = pango_font_map_create_context(map)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        refreshFamilies()
    }

    deinit {
        for (_, f) in fontCache { g_object_unref(UnsafeMutableRawPointer(f)) }
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
        FcConfigDestroy(config)
    }

    private func refreshFamilies() {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>?
        var n: Int32 = 0
        pango_font_map_list_families(fontMap, &list, &n)
        var names = Set<String>()
        for i in 0..<Int(n) {
            if let fam = list?[i], let name = pango_font_family_get_name(fam) { names.insert(String(cString: name).lowercased()) }
        }
        g_free(list)
        families = names
    }

    /// Adds a font file; returns the family, weight and slant fontconfig reads from it.
    func addFontFile(_ path: String) throws(FontError) -> FontFace {
        guard FileManager.default.isReadableFile(atPath: path) else { throw FontError("font file not found: \(path)") }
        var count: Int32 = 0
        guard let pattern = FcFreeTypeQuery(path, 0, nil, &count) else {
            throw FontError("not a usable font file: \(path)")
        }
        defer { FcPatternDestroy(pattern) }
        var familyPtr: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(pattern, FC_FAMILY, 0, &familyPtr) == FcResultMatch, let familyPtr else {
            throw FontError("font file has no family name: \(path)")
        }
        let family = String(cString: familyPtr)
        var weight: Int32 = 80
        var slant: Int32 = 0
        FcPatternGetInteger(pattern, FC_WEIGHT, 0, &weight)
        FcPatternGetInteger(pattern, FC_SLANT, 0, &slant)
        guard FcConfigAppFontAddFile(config, path) == 1 else { throw FontError("fontconfig refused font file: \(path)") }
        addedFontFiles.append(path)
        pango_fc_font_map_config_changed(OpaquePointer(fontMap))
        fontCache.removeAll()
        refreshFamilies()
        return FontFace(family: family, bold: weight >= 180, italic: slant != 0)
    }

    /// A second environment with the same fonts (bundled and added), for another thread: Pango font
    /// maps must not be shared between threads.
    public func copy(fontsDirectory: String) throws(FontError) -> FontEnvironment {
        let env = try FontEnvironment(fontsDirectory: fontsDirectory)
        for path in addedFontFiles { _ = try env.addFontFile(path) }
        return env
    }

    /// Pango font description for a face at a size.
    func description(_ face: FontFace, size: Double) -> OpaquePointer {
        let desc = pango_font_description_new()!
        pango_font_description_set_family(desc, face.family)
        pango_font_description_set_weight(desc, face.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(desc, face.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_font_description_set_absolute_size(desc, size * Double(PANGO_SCALE))
        return desc
    }

    /// Loads (and caches) the concrete font named by a description string produced while shaping.
    func font(named description: String) -> OpaquePointer? {
        if let f = fontCache[description] { return f }
        guard let desc = pango_font_description_from_string(description) else { return nil }
        defer { pango_font_description_free(desc) }
        guard let font = pango_font_map_load_font(fontMap, context, desc) else { return nil }
        let f = OpaquePointer(font)
        fontCache[description] = f
        return f
    }
}
