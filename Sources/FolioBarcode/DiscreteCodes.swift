// Interleaved 2 of 5, MSI, Codabar and Code 11, following reportlab/graphics/barcode/common.py.

enum DiscreteCodes {
    /// Python's `str.strip()`.
    static func strip(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var lo = 0, hi = scalars.count
        while lo < hi, scalars[lo].properties.isWhitespace { lo += 1 }
        while hi > lo, scalars[hi - 1].properties.isWhitespace { hi -= 1 }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[lo..<hi])
        return String(out)
    }

    static func digitValues(_ s: String, name: String, original: String) throws(BarcodeError) -> [Int] {
        var out: [Int] = []
        for sc in s.unicodeScalars {
            guard sc.value >= 48 && sc.value <= 57 else {
                throw .invalidValue(symbology: name, value: original, reason: "only digits are allowed")
            }
            out.append(Int(sc.value - 48))
        }
        return out
    }

    // MARK: Interleaved 2 of 5

    static let i25Bars = ["bbBBb", "BbbbB", "bBbbB", "BBbbb", "bbBbB", "BbBbb", "bBBbb", "bbbBB", "BbbBb", "bBbBb"]

    /// Digits actually encoded (zero-padded to even length, check digit appended).
    static func i2of5Digits(_ value: String, checksum: Bool) throws(BarcodeError) -> [Int] {
        var s = try digitValues(strip(value), name: "I2of5", original: value)
        if (s.count % 2 == 0 && checksum) || (s.count % 2 == 1 && !checksum) { s.insert(0, at: 0) }
        if checksum {
            var c = 0
            for (i, d) in s.enumerated() { c += i % 2 == 0 ? 3 * d : d }
            s.append((10 - c % 10) % 10)
        }
        return s
    }

    static func i2of5(value: String, options: BarcodeOptions) throws(BarcodeError) -> Scene {
        let digits = try i2of5Digits(value, checksum: options.checksum ?? true)
        let stop = options.stop ?? true
        var dec = stop ? "bsbs" : ""
        var i = 0
        while i + 1 < digits.count {
            // Bars from the first digit interleaved with spaces (same pattern, b→s, B→S) of the second.
            let b = Array(i25Bars[digits[i]])
            let s = i25Bars[digits[i + 1]].map { $0 == "b" ? Character("s") : Character("S") }
            for k in 0..<5 { dec.append(b[k]); dec.append(s[k]) }
            i += 2
        }
        if stop { dec += "Bsb" }
        let p = LinearParams(options: options, barWidth: inch * 0.0075, ratio: 2.2, bearers: 3,
                             quietDefault: { min(inch * 0.25, $0 * 10) })
        return Linear.discrete(dec, p: p, humanText: digits.map(String.init).joined())
    }

    // MARK: MSI

    static let msiPatterns = ["bSbSbSbS", "bSbSbSBs", "bSbSBsbS", "bSbSBsBs", "bSBsbSbS",
                              "bSBsbSBs", "bSBsBsbS", "bSBsBsBs", "BsbSbSbS", "BsbSbSBs"]

    /// ReportLab's MSI check: digit sum of 2 × (digits at odd indices read as a number) plus the
    /// digits at even indices; appends `10 - t % 10` (which is "10" when t is a multiple of 10).
    static func msiEncoded(_ value: String, checksum: Bool) throws(BarcodeError) -> [Int] {
        var s = try digitValues(strip(value), name: "MSI", original: value)
        guard checksum else { return s }
        let odd = stride(from: 1, to: s.count, by: 2).map { s[$0] }
        guard !odd.isEmpty else {
            throw .invalidValue(symbology: "MSI", value: value, reason: "at least two digits are needed for the check digit")
        }
        // Double the decimal number `odd` (arbitrary length).
        var doubled: [Int] = []
        var carry = 0
        for d in odd.reversed() {
            let v = d * 2 + carry
            doubled.append(v % 10); carry = v / 10
        }
        if carry > 0 { doubled.append(carry) }
        // str(int(...)) drops leading zeros, which does not change the digit sum.
        var t = doubled.reduce(0, +)
        for i in stride(from: 0, to: s.count, by: 2) { t += s[i] }
        let c = 10 - t % 10
        if c == 10 { s += [1, 0] } else { s.append(c) }
        return s
    }

    static func msi(value: String, options: BarcodeOptions) throws(BarcodeError) -> Scene {
        let s = try msiEncoded(value, checksum: options.checksum ?? true)
        let stop = options.stop ?? true
        var dec = stop ? "Bs" : ""
        for d in s { dec += msiPatterns[d] }
        if stop { dec += "bSb" }
        let p = LinearParams(options: options, barWidth: inch * 0.0075, ratio: 2.2,
                             quietDefault: { max(inch * 0.25, $0 * 10) })
        return Linear.discrete(dec, p: p, humanText: s.map(String.init).joined())
    }

    // MARK: Codabar

    static let codabarPatterns: [Character: String] = [
        "0": "bsbsbSB", "1": "bsbsBSb", "2": "bsbSbsB", "3": "BSbsbsb", "4": "bsBsbSb",
        "5": "BsbsbSb", "6": "bSbsbsB", "7": "bSbsBsb", "8": "bSBsbsb", "9": "BsbSbsb",
        "-": "bsbSBsb", "$": "bsBSbsb", ":": "BsbsBsB", "/": "BsBsbsB", ".": "BsBsBsb",
        "+": "bsBsBsB", "A": "bsBSbSb", "B": "bSbSbsB", "C": "bsbSbSB", "D": "bsbSBSb",
    ]
    static let codabarChars: [Character] = Array("0123456789-$:/.+")
    static let codabarValues: [Character: Int] = {
        var m: [Character: Int] = [:]
        for (i, c) in Array("0123456789-$:/.+ABCD").enumerated() { m[c] = i }
        return m
    }()

    static func codabarEncoded(_ value: String, checksum: Bool, stop: Bool) throws(BarcodeError) -> String {
        let s = Array(strip(value).unicodeScalars.map(Character.init))
        var v: [Character] = []
        for (i, c) in s.enumerated() {
            if !codabarChars.contains(c) {
                if (i != 0 && i != s.count - 1) || !"ABCD".contains(c) {
                    throw .invalidValue(symbology: "Codabar", value: value,
                                        reason: "character '\(c)' is not allowed (A-D only as start/stop)")
                }
            }
            v.append(c)
        }
        if stop {
            guard let first = v.first else {
                throw .invalidValue(symbology: "Codabar", value: value, reason: "empty value")
            }
            if !"ABCD".contains(first) { v.insert("A", at: 0) }
            if let last = v.last, !"ABCD".contains(last) { v.append(v[0]) }
        }
        if checksum {
            let sum = v.reduce(0) { $0 + (codabarValues[$1] ?? 0) }
            v.append(codabarChars[sum % 16])
        }
        return String(v)
    }

    static func codabar(value: String, options: BarcodeOptions) throws(BarcodeError) -> Scene {
        let enc = try codabarEncoded(value, checksum: options.checksum ?? false, stop: options.stop ?? true)
        guard !enc.isEmpty else { throw .invalidValue(symbology: "Codabar", value: value, reason: "empty value") }
        let dec = enc.compactMap { codabarPatterns[$0] }.joined(separator: "i")
        let p = LinearParams(options: options, barWidth: inch * 0.0065, ratio: 2.0,
                             quietDefault: { min(inch * 0.25, $0 * 10) })
        return Linear.discrete(dec, p: p, humanText: enc)
    }

    // MARK: Code 11

    static let code11Patterns: [Character: String] = [
        "0": "bsbsB", "1": "BsbsB", "2": "bSbsB", "3": "BSbsb", "4": "bsBsB", "5": "BsBsb",
        "6": "bSBsb", "7": "bsbSB", "8": "BsbSb", "9": "Bsbsb", "-": "bsBsb", "S": "bsBSb",
    ]
    static let code11Chars: [Character] = Array("0123456789-")

    /// `_addCSD`: weighted sum from the right, weights cycling 1...(m-1), modulo 11.
    static func code11Check(_ s: [Character], modulus m: Int) -> Character {
        var c = 0, v = 1
        for ch in s.reversed() {
            c += v * (code11Chars.firstIndex(of: ch) ?? 0)
            v += 1
            if v == m { v = 1 }
        }
        return code11Chars[c % 11]
    }

    static func code11Encoded(_ value: String, checkDigits: Int, stop: Bool) throws(BarcodeError) -> String {
        var s: [Character] = []
        for sc in strip(value).unicodeScalars {
            let c = Character(sc)
            guard code11Chars.contains(c) else {
                throw .invalidValue(symbology: "Code11", value: value, reason: "only digits and '-' are allowed")
            }
            s.append(c)
        }
        var n = checkDigits
        if n < 0 { n = 1 + (s.count > 10 ? 1 : 0) }
        if n > 0 { s.append(code11Check(s, modulus: 11)) }
        if n > 1 { s.append(code11Check(s, modulus: 10)) }
        return stop ? "S" + String(s) + "S" : String(s)
    }

    static func code11(value: String, options: BarcodeOptions) throws(BarcodeError) -> Scene {
        let n = options.checksumDigits ?? options.checksum.map { $0 ? 1 : 0 } ?? -1
        let stop = options.stop ?? true
        let enc = try code11Encoded(value, checkDigits: n, stop: stop)
        guard !enc.isEmpty else { throw .invalidValue(symbology: "Code11", value: value, reason: "empty value") }
        let dec = enc.compactMap { code11Patterns[$0] }.joined(separator: "i")
        let p = LinearParams(options: options, barWidth: inch * 0.0075, ratio: 2.2,
                             quietDefault: { min(inch * 0.25, $0 * 10) })
        let human = stop ? String(enc.dropFirst().dropLast()) : enc
        return Linear.discrete(dec, p: p, humanText: human)
    }
}
