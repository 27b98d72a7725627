// Code 39 (Standard39 / Extended39), following reportlab/graphics/barcode/code39.py.

enum Code39 {
    /// Character → (pattern over b/s/B/S, check value; -1 for the start/stop "*").
    static let patterns: [Character: (String, Int)] = [
        "0": ("bsbSBsBsb", 0), "1": ("BsbSbsbsB", 1), "2": ("bsBSbsbsB", 2), "3": ("BsBSbsbsb", 3),
        "4": ("bsbSBsbsB", 4), "5": ("BsbSBsbsb", 5), "6": ("bsBSBsbsb", 6), "7": ("bsbSbsBsB", 7),
        "8": ("BsbSbsBsb", 8), "9": ("bsBSbsBsb", 9), "A": ("BsbsbSbsB", 10), "B": ("bsBsbSbsB", 11),
        "C": ("BsBsbSbsb", 12), "D": ("bsbsBSbsB", 13), "E": ("BsbsBSbsb", 14), "F": ("bsBsBSbsb", 15),
        "G": ("bsbsbSBsB", 16), "H": ("BsbsbSBsb", 17), "I": ("bsBsbSBsb", 18), "J": ("bsbsBSBsb", 19),
        "K": ("BsbsbsbSB", 20), "L": ("bsBsbsbSB", 21), "M": ("BsBsbsbSb", 22), "N": ("bsbsBsbSB", 23),
        "O": ("BsbsBsbSb", 24), "P": ("bsBsBsbSb", 25), "Q": ("bsbsbsBSB", 26), "R": ("BsbsbsBSb", 27),
        "S": ("bsBsbsBSb", 28), "T": ("bsbsBsBSb", 29), "U": ("BSbsbsbsB", 30), "V": ("bSBsbsbsB", 31),
        "W": ("BSBsbsbsb", 32), "X": ("bSbsBsbsB", 33), "Y": ("BSbsBsbsb", 34), "Z": ("bSBsBsbsb", 35),
        "-": ("bSbsbsBsB", 36), ".": ("BSbsbsBsb", 37), " ": ("bSBsbsBsb", 38), "*": ("bSbsBsBsb", -1),
        "$": ("bSbSbSbsb", 39), "/": ("bSbSbsbSb", 40), "+": ("bSbsbSbSb", 41), "%": ("bsbSbSbSb", 42),
    ]

    /// `_stdchrs`: the 43 data characters in check-value order.
    static let stdChars: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")

    /// Extended Code 39 pairs for characters outside the standard set.
    static let extended: [Character: String] = {
        var m: [Character: String] = [:]
        let ctrl = ["%U", "$A", "$B", "$C", "$D", "$E", "$F", "$G", "$H", "$I", "$J", "$K", "$L",
                    "$M", "$N", "$O", "$P", "$Q", "$R", "$S", "$T", "$U", "$V", "$W", "$X", "$Y",
                    "$Z", "%A", "%B", "%C", "%D", "%E"]
        for (i, s) in ctrl.enumerated() { m[Character(Unicode.Scalar(UInt8(i)))] = s }
        let punct: [(Character, String)] = [
            ("!", "/A"), ("\"", "/B"), ("#", "/C"), ("$", "/D"), ("%", "/E"), ("&", "/F"),
            ("'", "/G"), ("(", "/H"), (")", "/I"), ("*", "/J"), ("+", "/K"), (",", "/L"),
            ("/", "/O"), (":", "/Z"), (";", "%F"), ("<", "%G"), ("=", "%H"), (">", "%I"),
            ("?", "%J"), ("@", "%V"), ("[", "%K"), ("\\", "%L"), ("]", "%M"), ("^", "%N"),
            ("_", "%O"), ("`", "%W"), ("{", "%P"), ("|", "%Q"), ("}", "%R"), ("~", "%S"),
            ("\u{7F}", "%T"),
        ]
        for (c, s) in punct { m[c] = s }
        for u in UInt8(ascii: "a")...UInt8(ascii: "z") {
            m[Character(Unicode.Scalar(u))] = "+" + String(Character(Unicode.Scalar(u - 32)))
        }
        return m
    }()

    /// `_encode39`: optional mod-43 check character and `*` start/stop.
    static func encode39(_ value: String, checksum: Bool, stop: Bool) -> String {
        var v = 0
        for c in value { v += patterns[c]?.1 ?? 0 }
        var s = value
        if checksum { s.append(stdChars[v % 43]) }
        if stop { s = "*" + s + "*" }
        return s
    }

    /// Encoded character string (with check character and start/stop) for `value`.
    static func encoded(_ value: String, extended isExtended: Bool, checksum: Bool, stop: Bool) throws(BarcodeError) -> String {
        let name = isExtended ? "Extended39" : "Standard39"
        var data = ""
        for sc in value.unicodeScalars {
            let ch = Character(sc)
            if isExtended {
                if let pair = extended[ch] {
                    data += pair
                } else if stdChars.contains(ch) {
                    data.append(ch)
                } else {
                    throw .invalidValue(symbology: name, value: value, reason: "character '\(ch)' is not in Extended Code 39")
                }
            } else {
                var c = ch
                if ch.isASCII, ch.isLowercase { c = Character(ch.uppercased()) }
                guard stdChars.contains(c) else {
                    throw .invalidValue(symbology: name, value: value, reason: "character '\(ch)' is not in Code 39")
                }
                data.append(c)
            }
        }
        return encode39(data, checksum: checksum, stop: stop)
    }

    static func scene(value: String, options: BarcodeOptions, extended isExtended: Bool) throws(BarcodeError) -> Scene {
        let stop = options.stop ?? true
        let enc = try encoded(value, extended: isExtended, checksum: options.checksum ?? true, stop: stop)
        let p = LinearParams(options: options, barWidth: inch * 0.0075, ratio: 2.2,
                             quietDefault: { max(inch * 0.25, $0 * 10) })
        let decomposed = enc.compactMap { patterns[$0]?.0 }.joined(separator: "i")
        let human = stop && enc.count >= 2 ? String(enc.dropFirst().dropLast()) : enc
        return Linear.discrete(decomposed, p: p, humanText: human)
    }
}
