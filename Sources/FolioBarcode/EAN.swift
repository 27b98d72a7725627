// EAN-13, EAN-8, UPC-A, EAN-5 and ISBN, following reportlab/graphics/barcode/eanbc.py
// (Ean13BarcodeWidget and subclasses).

enum EAN {
    enum Kind { case ean13, ean8, upca, ean5, isbn }

    static let leftOdd = ["0001101", "0011001", "0010011", "0111101", "0100011",
                          "0110001", "0101111", "0111011", "0110111", "0001011"]
    static let leftEven = ["0100111", "0110011", "0011011", "0100001", "0011101",
                           "0111001", "0000101", "0010001", "0001001", "0010111"]
    static let right = ["1110010", "1100110", "1101100", "1000010", "1011100",
                        "1001110", "1010000", "1000100", "1001000", "1110100"]
    /// EAN-13 parity of the six left digits, selected by the first digit (1 = even set).
    static let lhConvert: [[Int]] = [
        [0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 1, 1], [0, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 0], [0, 1, 0, 0, 1, 1],
        [0, 1, 1, 0, 0, 1], [0, 1, 1, 1, 0, 0], [0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 1, 0], [0, 1, 1, 0, 1, 0],
    ]
    /// EAN-5 parity selected by its check value.
    static let lhConvert5: [[Int]] = [
        [1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [1, 0, 0, 1, 0], [1, 0, 0, 0, 1], [0, 1, 1, 0, 0],
        [0, 0, 1, 1, 0], [0, 0, 0, 1, 1], [0, 1, 0, 1, 0], [0, 1, 0, 0, 1], [0, 0, 1, 0, 1],
    ]

    struct Spec {
        var name: String
        var digits: Int
        var startRight: Int
        var nbars: Int
        var w0: Int, w1: Int
    }

    static func spec(_ kind: Kind) -> Spec {
        switch kind {
        case .ean13: return Spec(name: "EAN13", digits: 12, startRight: 7, nbars: 113, w0: 1, w1: 3)
        case .isbn: return Spec(name: "ISBN", digits: 12, startRight: 7, nbars: 113, w0: 1, w1: 3)
        case .ean8: return Spec(name: "EAN8", digits: 7, startRight: 4, nbars: 85, w0: 3, w1: 1)
        case .upca: return Spec(name: "UPCA", digits: 11, startRight: 6, nbars: 89, w0: 3, w1: 1)
        case .ean5: return Spec(name: "EAN5", digits: 5, startRight: 0, nbars: 48, w0: 3, w1: 9)
        }
    }

    /// Check digit for the data digits (`_checkdigit`): weights alternate w0, w1 from the left.
    static func checkDigit(_ digits: [Int], kind: Kind) -> Int {
        let s = spec(kind)
        var sum = 0
        for (i, d) in digits.enumerated() { sum += (i % 2 == 0 ? s.w0 : s.w1) * d }
        return kind == .ean5 ? sum % 10 : (10 - sum % 10) % 10
    }

    /// The data digits as ReportLab keeps them: left-padded with zeros, truncated to the data length
    /// (a 13th EAN-13 digit is dropped and recomputed).
    static func dataDigits(_ value: String, kind: Kind) throws(BarcodeError) -> [Int] {
        let s = spec(kind)
        let v = Array(DiscreteCodes.strip(value).unicodeScalars)
        var out = [Int](repeating: 0, count: max(s.digits - v.count, 0))
        for sc in v.prefix(s.digits) {
            guard sc.value >= 48 && sc.value <= 57 else {
                throw .invalidValue(symbology: s.name, value: value, reason: "must be \(s.digits) digits")
            }
            out.append(Int(sc.value - 48))
        }
        return out
    }

    /// Module string ("0"/"1") including quiet zones, plus the resolved left quiet-zone modules.
    static func modules(_ s: [Int], kind: Kind, lquiet: Int, rquiet: Int) -> String {
        let sp = spec(kind)
        var b = String(repeating: "0", count: lquiet)
        if kind == .ean5 {
            b += "01011"
            let cp = lhConvert5[checkDigit(s, kind: .ean5)]
            b += s.enumerated().map { (i, d) in cp[i] == 0 ? leftOdd[d] : leftEven[d] }.joined(separator: "01")
            return b + String(repeating: "0", count: rquiet)
        }
        b += "101"
        if kind == .ean13 || kind == .isbn {
            let cp = lhConvert[s[0]]
            for (i, d) in s[1..<sp.startRight].enumerated() { b += cp[i] == 0 ? leftOdd[d] : leftEven[d] }
        } else {
            for d in s[0..<sp.startRight] { b += leftOdd[d] }
        }
        b += "01010"
        for d in s[sp.startRight...] { b += right[d] }
        b += "101"
        return b + String(repeating: "0", count: rquiet)
    }

    static func scene(value: String, options o: BarcodeOptions, kind: Kind) throws(BarcodeError) -> Scene {
        let sp = spec(kind)
        let data = try dataDigits(value, kind: kind)
        let s = kind == .ean5 ? data : data + [checkDigit(data, kind: kind)]
        let barWidth = o.barWidth ?? (37.29 / 113) * mm
        let barHeight = o.barHeight ?? 25.93 * mm
        let fontSize = o.fontSize ?? 8
        let fontName = o.fontName ?? "Helvetica"
        let humanReadable = o.humanReadable ?? true
        let quiet = o.quiet ?? true
        func calcQuiet(_ v: Double?) -> Int {
            guard quiet else { return 0 }
            guard let v else { return 9 }
            let x = max(v, 0) / barWidth
            return x < 100_000 ? Int(x) : 100_000
        }
        let lq = calcQuiet(o.lquiet), rq = calcQuiet(o.rquiet)
        let width = barWidth * Double(sp.nbars - 18 + lq + rq)
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: width, height: barHeight))
        let fth = fontSize * 1.2

        func isShort(_ index: Int) -> Bool {
            let i = index + 9 - lq
            switch kind {
            case .ean5: return true
            case .ean13, .isbn: return humanReadable && ((12 < i && i < 55) || (57 < i && i < 101))
            case .ean8: return humanReadable && ((12 < i && i < 41) || (43 < i && i < 73))
            case .upca: return humanReadable && ((18 < i && i < 55) || (57 < i && i < 93))
            }
        }

        var x = 0.0
        var open: Int? = nil  // index in scene.bars of the rect being extended
        for (i, c) in modules(s, kind: kind, lquiet: lq, rquiet: rq).enumerated() {
            if c == "1" {
                let dh = isShort(i) ? fth : 0
                if let k = open, scene.bars[k].y == dh {
                    scene.bars[k].width += barWidth
                } else {
                    scene.rect(x, dh, barWidth, barHeight - dh)
                    open = scene.bars.count - 1
                }
            } else {
                open = nil
            }
            x += barWidth
        }

        guard humanReadable else { return scene }
        let y = 0.2 * fth
        let str = { (a: Int, b: Int) in s[a..<b].map(String.init).joined() }
        func add(_ x: Double, _ y: Double, _ t: String, _ anchor: BarcodeText.Anchor) {
            scene.text(x, y, t, fontName: fontName, fontSize: fontSize, anchor: anchor)
        }
        let lqd = Double(lq)
        switch kind {
        case .ean13, .isbn:
            add(barWidth * (lqd - 8), y, str(0, 1), .start)
            let x1 = (33 - 9 + lqd) * barWidth
            add(x1, y, str(1, 7), .middle)
            add(x1 + 47 * barWidth, y, str(7, 13), .middle)
            if kind == .isbn {
                let isbn = "ISBN " + [str(0, 3), str(3, 4), str(4, 9), str(9, 12), str(12, 13)].joined(separator: "-")
                add(lqd * barWidth, y + barHeight, isbn, .start)
            }
        case .ean8:
            add((26.5 - 9 + lqd) * barWidth, y, str(0, 4), .middle)
            add((59.5 - 9 + lqd) * barWidth, y, str(4, 8), .middle)
        case .upca:
            add(barWidth * (lqd - 8), y, str(0, 1), .start)
            var x1 = (38 - 9 + lqd) * barWidth
            add(x1, y, str(1, 6), .middle)
            x1 += 36 * barWidth
            add(x1, y, str(6, 11), .middle)
            x1 += 32 * barWidth
            add(x1, y, str(11, 12), .start)
        case .ean5:
            add(Double(sp.nbars + lq * 2) * barWidth / 2, y, str(0, 5), .middle)
        }
        return scene
    }
}
