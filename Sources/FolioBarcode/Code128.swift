// Code 128, following reportlab/graphics/barcode/code128.py (Code128 with its `_try_TO_C`
// subset optimisation, and Code128Auto). FNC1...FNC4 are written as U+00F1...U+00F4.

enum Code128 {
    /// Bar/space patterns for symbol values 0...106 (upper case = bar, lower = space, letter = modules).
    static let patterns: [String] = [
        "BaBbBb", "BbBaBb", "BbBbBa", "AbAbBc", "AbAcBb", "AcAbBb", "AbBbAc", "AbBcAb",
        "AcBbAb", "BbAbAc", "BbAcAb", "BcAbAb", "AaBbCb", "AbBaCb", "AbBbCa", "AaCbBb",
        "AbCaBb", "AbCbBa", "BbCbAa", "BbAaCb", "BbAbCa", "BaCbAb", "BbCaAb", "CaBaCa",
        "CaAbBb", "CbAaBb", "CbAbBa", "CaBbAb", "CbBaAb", "CbBbAa", "BaBaBc", "BaBcBa",
        "BcBaBa", "AaAcBc", "AcAaBc", "AcAcBa", "AaBcAc", "AcBaAc", "AcBcAa", "BaAcAc",
        "BcAaAc", "BcAcAa", "AaBaCc", "AaBcCa", "AcBaCa", "AaCaBc", "AaCcBa", "AcCaBa",
        "CaCaBa", "BaAcCa", "BcAaCa", "BaCaAc", "BaCcAa", "BaCaCa", "CaAaBc", "CaAcBa",
        "CcAaBa", "CaBaAc", "CaBcAa", "CcBaAa", "CaDaAa", "BbAdAa", "DcAaAa", "AaAbBd",
        "AaAdBb", "AbAaBd", "AbAdBa", "AdAaBb", "AdAbBa", "AaBbAd", "AaBdAb", "AbBaAd",
        "AbBdAa", "AdBaAb", "AdBbAa", "BdAbAa", "BbAaAd", "DaCaAa", "BdAaAb", "AcDaAa",
        "AaAbDb", "AbAaDb", "AbAbDa", "AaDbAb", "AbDaAb", "AbDbAa", "DaAbAb", "DbAaAb",
        "DbAbAa", "BaBaDa", "BaDaBa", "DaBaBa", "AaAaDc", "AaAcDa", "AcAaDa", "AaDaAc",
        "AaDcAa", "DaAaAc", "DaAcAa", "AaCaDa", "AaDaCa", "CaAaDa", "DaAaCa", "BaAdAb",
        "BaAbAd", "BaAbCb", "BcCaAaB",
    ]

    static let startA = 103, startB = 104, startC = 105, stop = 106
    static let fnc1 = "\u{F1}", fnc2 = "\u{F2}", fnc3 = "\u{F3}", fnc4 = "\u{F4}"

    enum CodeSet { case a, b, c }

    /// Symbol value of `token` in code set `set` (ReportLab's seta/setb/setc dictionaries).
    static func value(of token: String, in set: CodeSet) -> Int? {
        switch token {
        case fnc1: return 102
        case fnc3: return set == .c ? nil : 96
        case fnc2: return set == .c ? nil : 97
        case fnc4: return set == .a ? 101 : (set == .b ? 100 : nil)
        case "SHIFT": return set == .c ? nil : 98
        case "TO_C": return set == .c ? nil : 99
        case "TO_B": return set == .a ? 100 : (set == .c ? 100 : nil)
        case "TO_A": return set == .b ? 101 : (set == .c ? 101 : nil)
        default: break
        }
        let scalars = Array(token.unicodeScalars)
        switch set {
        case .c:
            guard scalars.count == 2, let d0 = digit(scalars[0]), let d1 = digit(scalars[1]) else { return nil }
            return d0 * 10 + d1
        case .a:
            guard scalars.count == 1 else { return nil }
            let v = Int(scalars[0].value)
            if v >= 0x20 && v <= 0x5F { return v - 0x20 }
            if v < 0x20 { return v + 64 }
            return nil
        case .b:
            guard scalars.count == 1 else { return nil }
            let v = Int(scalars[0].value)
            if v >= 0x20 && v <= 0x7F { return v - 0x20 }
            return nil
        }
    }

    private static func digit(_ s: Unicode.Scalar) -> Int? {
        (s.value >= 48 && s.value <= 57) ? Int(s.value - 48) : nil
    }

    /// Python's `token in string.digits` for the single-character tokens used here.
    private static func isDigit(_ t: String) -> Bool {
        let s = t.unicodeScalars
        return s.count == 1 && digit(s[s.startIndex]) != nil
    }

    private static let cStarts: Set<String> = ["START_B", "TO_A", "TO_B"]

    /// Transcription of ReportLab's `Code128._try_TO_C` (switches digit runs to set C).
    static func tryToC(_ l: [String]) -> [String] {
        var i = 0
        var nl: [String] = []
        var j = -1  // deliberately persists across iterations, as the Python local does
        while i < l.count {
            var startpos = i
            var rl: [String] = []
            var savings = -1
            while i < l.count {
                if cStarts.contains(l[i]) {
                    j = i
                    break
                } else if l[i] == fnc1 {
                    rl.append(l[i]); i += 1
                    continue
                } else if isDigit(l[i]) && i + 1 < l.count && isDigit(l[i + 1]) {
                    rl.append(l[i] + l[i + 1]); i += 2; savings += 1
                    continue
                } else {
                    if isDigit(l[i]) && i + 1 < l.count && l[i + 1] == "STOP" {
                        var rrl: [String] = []
                        var rsavings = -1
                        var k = i
                        while k > startpos {
                            if l[k] == fnc1 {
                                rrl.append(l[i])  // sic: ReportLab appends l[i] here
                                k -= 1
                            } else if isDigit(l[k]) && isDigit(l[k - 1]) {
                                rrl.append(l[k - 1] + l[k]); rsavings += 1; k -= 2
                            } else {
                                break
                            }
                        }
                        rrl.reverse()
                        let bonus = (savings >= 0 && startpos != 0 && cStarts.contains(nl.last ?? "")) ? 1 : 0
                        if rsavings > savings + bonus - 1 {
                            nl.append(contentsOf: l[startpos].unicodeScalars.map { String($0) })
                            startpos += 1
                            rl = rrl
                            i += 1
                        }
                    }
                    break
                }
            }
            guard i < l.count else { break }
            let ta = !(l[i] == "STOP" || j == i)
            let xs = savings >= 0 && startpos != 0 && cStarts.contains(nl.last ?? "")
            if savings + (xs ? 1 : 0) > (ta ? 1 : 0) {
                let toc: String
                if xs, let last = nl.popLast() {
                    toc = String(last.dropLast()) + "C"
                } else {
                    toc = "TO_C"
                }
                nl.append(toc)
                nl += rl
                if ta, j >= 0, j < l.count { nl.append("TO" + String(l[j].suffix(2))) }
                nl.append(l[i])
            } else {
                nl += l[startpos...i]
            }
            i += 1
        }
        return nl
    }

    /// Token list before numeric conversion (Code128.encode up to the START replacement).
    static func tokens(_ s: String, auto: Bool) -> [String] {
        let chars = s.unicodeScalars.map { String($0) }
        if auto {
            var l: [String] = []
            var current: CodeSet? = nil
            var k = 0
            while k < chars.count {
                var c = chars[k]; k += 1
                if isDigit(c), k < chars.count, isDigit(chars[k]) { c += chars[k]; k += 1 }
                let set: CodeSet
                if value(of: c, in: .c) != nil { set = .c }
                else if value(of: c, in: .b) != nil { set = .b }
                else { set = .a }
                if current != set {
                    let letter = set == .a ? "A" : (set == .b ? "B" : "C")
                    l.append(current == nil ? "START_" + letter : "TO_" + letter)
                    current = set
                }
                l.append(c)
            }
            l.append("STOP")
            return l
        }
        var l = ["START_B"]
        for c in chars {
            if value(of: c, in: .b) == nil {
                l += ["TO_A", c, "TO_B"]
            } else {
                l.append(c)
            }
        }
        l.append("STOP")
        l = tryToC(l)
        if l.count > 1, ["TO_A", "TO_B", "TO_C", "START_A", "START_B", "START_C"].contains(l[1]) {
            let letter = String(l[1].suffix(1))
            l.replaceSubrange(0..<2, with: ["START_" + letter])
        }
        return l
    }

    /// Symbol values including start, check and stop characters.
    static func encode(_ value: String, auto: Bool) throws(BarcodeError) -> [Int] {
        let name = auto ? "Code128Auto" : "Code128"
        for s in value.unicodeScalars where s.value > 127 && !(0xF1...0xF4).contains(s.value) {
            throw .invalidValue(symbology: name, value: value,
                                reason: "character U+\(String(s.value, radix: 16, uppercase: true)) is not in Code 128")
        }
        let l = tokens(value, auto: auto)
        let bad = BarcodeError.invalidValue(symbology: name, value: value, reason: "cannot encode")
        guard l.count >= 2 else { throw bad }
        var set: CodeSet
        var e: [Int]
        switch l[0] {
        case "START_A": set = .a; e = [startA]
        case "START_B": set = .b; e = [startB]
        case "START_C": set = .c; e = [startC]
        default: throw bad
        }
        for c in l[1..<(l.count - 1)] {
            guard let v = Code128.value(of: c, in: set) else { throw bad }
            e.append(v)
            switch c {
            case "TO_A": set = .a
            case "TO_B": set = .b
            case "TO_C": set = .c
            default: break
            }
        }
        var check = e[0]
        for i in 1..<e.count { check += i * e[i] }
        return e + [check % 103, stop]
    }

    static func scene(value: String, options: BarcodeOptions, auto: Bool) throws(BarcodeError) -> Scene {
        let codes = try encode(value, auto: auto)
        let p = LinearParams(options: options, barWidth: inch * 0.0075,
                             quietDefault: { max(inch * 0.25, $0 * 10) }, independentQuiet: true)
        let decomposed = codes.map { patterns[$0] }.joined()
        return Linear.multiWidth(decomposed, p: p, humanText: value)
    }
}
