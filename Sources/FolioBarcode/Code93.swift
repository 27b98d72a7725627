// Code 93 (Standard93 / Extended93), following reportlab/graphics/barcode/code93.py.
// The four shift symbols are spelled '#' ($), '!' (%), '=' (/), '&' (+) as in ReportLab.

enum Code93 {
    /// Patterns indexed by symbol value 0...46.
    static let patterns: [String] = [
        "AcAaAb", "AaAbAc", "AaAcAb", "AaAdAa", "AbAaAc", "AbAbAb", "AbAcAa", "AaAaAd",
        "AcAbAa", "AdAaAa", "BaAaAc", "BaAbAb", "BaAcAa", "BbAaAb", "BbAbAa", "BcAaAa",
        "AaBaAc", "AaBbAb", "AaBcAa", "AbBaAb", "AcBaAa", "AaAaBc", "AaAbBb", "AaAcBa",
        "AbAaBb", "AcAaBa", "BaBaAb", "BaBbAa", "BaAaBb", "BaAbBa", "BbAaBa", "BbBaAa",
        "AaBaBb", "AaBbBa", "AbBaBa", "AbCaAa", "AbAaCa", "CaAaAb", "CaAbAa", "CbAaAa",
        "AaBaCa", "AaCaBa", "BaAaCa", "AbAbBa", "CaBaAa", "CaAaBa", "AbBbAa",
    ]
    static let startPattern = "AaAaDa", stopPattern = "AaAaDaA"
    /// Characters by symbol value.
    static let chars: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%#!=&")

    static func value(_ c: Character) -> Int? { chars.firstIndex(of: c) }

    static let extended: [Character: String] = {
        var m: [Character: String] = [:]
        let ctrl = ["!U", "#A", "#B", "#C", "#D", "#E", "#F", "#G", "#H", "#I", "#J", "#K", "#L",
                    "#M", "#N", "#O", "#P", "#Q", "#R", "#S", "#T", "#U", "#V", "#W", "#X", "#Y",
                    "#Z", "!A", "!B", "!C", "!D", "!E"]
        for (i, s) in ctrl.enumerated() { m[Character(Unicode.Scalar(UInt8(i)))] = s }
        let punct: [(Character, String)] = [
            ("!", "=A"), ("\"", "=B"), ("#", "=C"), ("$", "=D"), ("%", "=E"), ("&", "=F"),
            ("'", "=G"), ("(", "=H"), (")", "=I"), ("*", "=J"), ("+", "=K"), (",", "=L"),
            ("/", "=O"), (":", "=Z"), (";", "!F"), ("<", "!G"), ("=", "!H"), (">", "!I"),
            ("?", "!J"), ("@", "!V"), ("[", "!K"), ("\\", "!L"), ("]", "!M"), ("^", "!N"),
            ("_", "!O"), ("`", "!W"), ("{", "!P"), ("|", "!Q"), ("}", "!R"), ("~", "!S"),
            ("\u{7F}", "!T"),
        ]
        for (c, s) in punct { m[c] = s }
        for u in UInt8(ascii: "a")...UInt8(ascii: "z") {
            m[Character(Unicode.Scalar(u))] = "&" + String(Character(Unicode.Scalar(u - 32)))
        }
        return m
    }()

    /// `_encode93`: appends the C (weights 1...20) and K (weights 1...15) check characters.
    static func encode93(_ s: String) -> String {
        var rev: [Character] = s.reversed()
        var c = 0, v = 1
        for ch in rev {
            c += v * (value(ch) ?? 0); v += 1
            if v > 20 { v = 1 }
        }
        rev.insert(chars[c % 47], at: 0)
        c = 0; v = 1
        for ch in rev {
            c += v * (value(ch) ?? 0); v += 1
            if v > 15 { v = 1 }
        }
        rev.insert(chars[c % 47], at: 0)
        return String(rev.reversed())
    }

    static func scene(value: String, options: BarcodeOptions, extended isExtended: Bool) throws(BarcodeError) -> Scene {
        let name = isExtended ? "Extended93" : "Standard93"
        var data = ""
        for sc in value.unicodeScalars {
            var ch = Character(sc)
            if isExtended {
                if self.value(ch) != nil {
                    data.append(ch)
                } else if let pair = extended[ch] {
                    data += pair
                } else {
                    throw .invalidValue(symbology: name, value: value, reason: "character '\(ch)' is not in Extended Code 93")
                }
            } else {
                if ch.isASCII, ch.isLowercase { ch = Character(ch.uppercased()) }
                guard self.value(ch) != nil else {
                    throw .invalidValue(symbology: name, value: value, reason: "character '\(ch)' is not in Code 93")
                }
                data.append(ch)
            }
        }
        let enc = encode93(data)
        let stop = options.stop ?? true
        var parts: [String] = stop ? [startPattern] : []
        parts += enc.compactMap { self.value($0).map { patterns[$0] } }
        if stop { parts.append(stopPattern) }
        let human = isExtended ? value + String(enc.suffix(2)) : enc
        let p = LinearParams(options: options, barWidth: inch * 0.0075,
                             quietDefault: { max(inch * 0.25, $0 * 10) })
        return Linear.multiWidth(parts.joined(), p: p, humanText: human)
    }
}
