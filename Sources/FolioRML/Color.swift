/// An RGB colour with alpha, components in 0...1. CMYK input is converted to RGB (Cairo draws in RGB).
public struct Color: Sendable, Hashable {
    public var red: Double, green: Double, blue: Double, alpha: Double

    /// Components are clamped to 0…1 (non-numbers become 0).
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        func clamp(_ v: Double) -> Double { v.isFinite ? max(0, min(1, v)) : 0 }
        self.red = clamp(red); self.green = clamp(green); self.blue = clamp(blue); self.alpha = clamp(alpha)
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)

    /// Converts CMYK (each 0...1) the way ReportLab does for display.
    public init(cyan c: Double, magenta m: Double, yellow y: Double, black k: Double, alpha: Double = 1) {
        self.init(red: (1 - min(1, c + k)), green: (1 - min(1, m + k)), blue: (1 - min(1, y + k)), alpha: alpha)
    }

    /// Parses RML's colour syntax: a name (`red`, `lightgrey`), `#RRGGBB`, `#RGB`, `0xRRGGBB`,
    /// `rgb(r,g,b)` in 0...255, a tuple `(r,g,b)` in 0...1, or CMYK as `(c,m,y,k)` / `cmyk(c,m,y,k)`.
    /// Returns nil for anything else.
    public static func parse(_ raw: String, userColors: [String: Color] = [:]) -> Color? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return nil }
        let lower = s.lowercased()
        if let c = userColors[s] ?? userColors[lower] { return c }
        if lower == "transparent" || lower == "none" { return Color(red: 0, green: 0, blue: 0, alpha: 0) }
        if let v = NamedColors.table[lower.replacingOccurrences(of: " ", with: "")] { return Color(rgb: v) }
        if lower.hasPrefix("#") || lower.hasPrefix("0x") {
            let hex = String(lower.dropFirst(lower.hasPrefix("#") ? 1 : 2))
            guard let v = UInt32(hex, radix: 16) else { return nil }
            switch hex.count {
            case 6: return Color(rgb: v)
            case 3:
                let r = (v >> 8) & 0xF, g = (v >> 4) & 0xF, b = v & 0xF
                return Color(rgb: (r * 17) << 16 | (g * 17) << 8 | (b * 17))
            case 8:
                return Color(red: Double((v >> 24) & 0xFF) / 255, green: Double((v >> 16) & 0xFF) / 255,
                             blue: Double((v >> 8) & 0xFF) / 255, alpha: Double(v & 0xFF) / 255)
            default: return nil
            }
        }
        var body = lower
        var scale = 1.0
        var forceCMYK = false
        if body.hasPrefix("rgb(") { body = String(body.dropFirst(3)); scale = 255 }
        else if body.hasPrefix("rgba(") { body = String(body.dropFirst(4)); scale = 255 }
        else if body.hasPrefix("cmyk(") { body = String(body.dropFirst(4)); forceCMYK = true }
        body = body.trimmingCharacters(in: CharacterSet(charactersIn: "()[] "))
        let parts = body.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let n = parts.map { $0! }
        if forceCMYK || n.count == 4 && scale == 1 {
            guard n.count >= 4 else { return nil }
            let k = n.map { $0 > 1 ? $0 / 100 : $0 }
            return Color(cyan: k[0], magenta: k[1], yellow: k[2], black: k[3])
        }
        if n.count == 3 || n.count == 4 {
            let s3 = n[0] > 1 || n[1] > 1 || n[2] > 1 ? 255 : scale
            return Color(red: n[0] / s3, green: n[1] / s3, blue: n[2] / s3, alpha: n.count == 4 ? n[3] : 1)
        }
        if n.count == 1 { return Color(red: n[0], green: n[0], blue: n[0]) }
        return nil
    }

    /// A best guess for colour names ReportLab does not know but old reports use (OpenERP's
    /// `lightred`, `dark_blue`, `Light Green`): a known base colour lightened or darkened. Black otherwise.
    public static func approximate(_ raw: String) -> Color {
        var name = raw.lowercased().filter { $0.isLetter }
        var mix: (Color, Double)? = nil
        for (prefix, target, amount) in [("light", Color.white, 0.5), ("pale", Color.white, 0.6), ("dark", Color.black, 0.4),
                                         ("deep", Color.black, 0.3), ("medium", Color.black, 0.15)] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            mix = (target, amount)
            break
        }
        guard let base = NamedColors.table[name].map(Color.init(rgb:)) else { return .black }
        guard let (target, t) = mix else { return base }
        return Color(red: base.red + (target.red - base.red) * t, green: base.green + (target.green - base.green) * t,
                     blue: base.blue + (target.blue - base.blue) * t, alpha: base.alpha)
    }

    init(rgb v: UInt32) {
        self.init(red: Double((v >> 16) & 0xFF) / 255, green: Double((v >> 8) & 0xFF) / 255, blue: Double(v & 0xFF) / 255)
    }
}

import Foundation
