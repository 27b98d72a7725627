// US Postal Service codes: FIM and POSTNET (reportlab/graphics/barcode/usps.py) and the
// 4-state Intelligent Mail barcode (reportlab/graphics/barcode/usps4s.py, USPS-B-3200).

enum USPS {
    static let fimPatterns: [Character: String] = [
        "A": "||  |  ||", "B": "| || || |", "C": "|| | | ||", "D": "||| | |||",
    ]

    static func fim(value: String, options o: BarcodeOptions) throws(BarcodeError) -> Scene {
        var validated = ""
        for sc in value.unicodeScalars {
            if sc.properties.isWhitespace { continue }
            let c = Character(sc)
            guard "abcdABCD".contains(c) else {
                throw .invalidValue(symbology: "FIM", value: value, reason: "only A, B, C or D is allowed")
            }
            validated += c.uppercased()
        }
        guard validated.count == 1, let pattern = fimPatterns[Character(validated)] else {
            throw .invalidValue(symbology: "FIM", value: value, reason: "input must be exactly one character")
        }
        var p = LinearParams(options: o, barWidth: inch / 32, quietDefault: { _ in 0 }, quiet: false)
        if p.quiet {
            p.lquiet = o.lquiet ?? inch * 15 / 32
            p.rquiet = o.rquiet ?? inch * 0.25
        }
        let spaceWidth = o.spaceWidth ?? inch / 16
        let barHeight = o.barHeight ?? inch * 5 / 8
        var width = Double(pattern.count - 1) * spaceWidth + p.barWidth
        if p.quiet { width += p.lquiet + p.rquiet }
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: width, height: barHeight))
        var left = p.quiet ? p.lquiet : 0
        for c in pattern {
            if c == "|" { scene.rect(left, 0, p.barWidth, barHeight) }
            left += spaceWidth
        }
        Linear.humanReadable(&scene, text: value, p: p, totalWidth: width)
        return scene
    }

    static let postnetPatterns: [Character: String] = [
        "1": "...||", "2": "..|.|", "3": "..||.", "4": ".|..|", "5": ".|.|.",
        "6": ".||..", "7": "|...|", "8": "|..|.", "9": "|.|..", "0": "||...", "S": "|",
    ]

    /// Digits + check digit, e.g. "78247-1043" → "782471043" + "5".
    static func postnetDigits(_ value: String) throws(BarcodeError) -> String {
        var digits = ""
        var validatedLength = 0
        for sc in value.unicodeScalars {
            if sc.properties.isWhitespace || sc == "-" { continue }
            guard sc.value >= 48 && sc.value <= 57 else {
                throw .invalidValue(symbology: "POSTNET", value: value, reason: "only digits, spaces and '-' are allowed")
            }
            digits.unicodeScalars.append(sc)
            validatedLength += digits.count == 6 ? 2 : 1
        }
        guard [5, 10, 12].contains(validatedLength) else {
            throw .invalidValue(symbology: "POSTNET", value: value, reason: "must have 5, 9 or 11 digits")
        }
        let sum = digits.unicodeScalars.reduce(0) { $0 + Int($1.value - 48) }
        return digits + String(((10 - sum) % 10 + 10) % 10)
    }

    static func postnet(value: String, options o: BarcodeOptions) throws(BarcodeError) -> Scene {
        let digits = try postnetDigits(value)
        let decomposed = ("S" + digits + "S").compactMap { postnetPatterns[$0] }.joined()
        var p = LinearParams(options: o, barWidth: inch * 0.018, quietDefault: { _ in 0 }, quiet: false)
        p.quiet = false; p.lquiet = 0; p.rquiet = 0
        let spaceWidth = o.spaceWidth ?? inch * 0.0275
        let shortHeight = o.shortHeight ?? inch * 0.050
        let barHeight = o.barHeight ?? inch * 0.125
        let n = Double(decomposed.count)
        let width = n * p.barWidth + (n - 1) * spaceWidth
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: width, height: barHeight))
        var left = 0.0
        for c in decomposed {
            scene.rect(left, 0, p.barWidth, c == "." ? shortHeight : barHeight)
            left += p.barWidth + spaceWidth
        }
        Linear.humanReadable(&scene, text: digits, p: p, totalWidth: width)
        return scene
    }

    // MARK: Intelligent Mail (4-state)

    /// Minimal unsigned big integer (little-endian 32-bit limbs) for the 102-bit payload.
    struct BigUInt: Equatable {
        var limbs: [UInt32] = [0]

        mutating func mul(_ m: UInt32) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let v = UInt64(limbs[i]) * UInt64(m) + carry
                limbs[i] = UInt32(truncatingIfNeeded: v); carry = v >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }

        mutating func add(_ a: UInt64) {
            var carry = a
            var i = 0
            while carry > 0 {
                if i == limbs.count { limbs.append(0) }
                let v = UInt64(limbs[i]) + (carry & 0xFFFF_FFFF)
                limbs[i] = UInt32(truncatingIfNeeded: v)
                carry = (carry >> 32) + (v >> 32)
                i += 1
            }
        }

        /// Divides in place, returning the remainder.
        mutating func divmod(_ d: UInt32) -> UInt32 {
            var rem: UInt64 = 0
            for i in limbs.indices.reversed() {
                let cur = (rem << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(cur / UInt64(d)); rem = cur % UInt64(d)
            }
            return UInt32(rem)
        }

        /// Big-endian bytes, left-padded to `count`.
        func bytes(_ count: Int) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: count)
            for k in 0..<count {
                let limb = k / 4
                guard limb < limbs.count else { break }
                out[count - 1 - k] = UInt8(truncatingIfNeeded: limbs[limb] >> (8 * UInt32(k % 4)))
            }
            return out
        }
    }

    static func binaryValue(tracking: String, routing: String) throws(BarcodeError) -> BigUInt {
        func digitsOf(_ s: String) -> [UInt32]? {
            var out: [UInt32] = []
            for sc in s.unicodeScalars {
                guard sc.value >= 48 && sc.value <= 57 else { return nil }
                out.append(sc.value - 48)
            }
            return out
        }
        guard let r = digitsOf(routing), [0, 5, 9, 11].contains(r.count) else {
            throw .invalidValue(symbology: "USPS_4State", value: routing,
                                reason: "routing code must be 0, 5, 9 or 11 digits")
        }
        guard let t = digitsOf(tracking), t.count == 20 else {
            throw .invalidValue(symbology: "USPS_4State", value: tracking,
                                reason: "tracking code must be 20 digits (2+3+6+9)")
        }
        var v = BigUInt()
        for d in r { v.mul(10); v.add(UInt64(d)) }
        switch r.count {
        case 5: v.add(1)
        case 9: v.add(100001)
        case 11: v.add(1000100001)
        default: break
        }
        v.mul(10); v.add(UInt64(t[0]))
        v.mul(5); v.add(UInt64(t[1]))
        for d in t[2...] { v.mul(10); v.add(UInt64(d)) }
        return v
    }

    /// USPS CRC-11 frame check sequence over the 13-byte payload.
    static func crc11(_ value: BigUInt) -> Int {
        let bytes = value.bytes(13)
        let gp = 0x0F35
        var fcs = 0x07FF
        var data = Int(bytes[0]) << 5
        for _ in 2..<8 {
            fcs = ((fcs ^ data) & 0x400) != 0 ? (fcs << 1) ^ gp : fcs << 1
            fcs &= 0x7FF
            data <<= 1
        }
        for x in 1..<13 {
            data = Int(bytes[x]) << 3
            for _ in 0..<8 {
                fcs = ((fcs ^ data) & 0x400) != 0 ? (fcs << 1) ^ gp : fcs << 1
                fcs &= 0x7FF
                data <<= 1
            }
        }
        return fcs
    }

    static func nOf13Table(_ n: Int, _ length: Int) -> [Int] {
        func reverse13(_ i: Int) -> Int {
            var r = 0, v = i
            for _ in 0..<13 { r = (r << 1) | (v & 1); v >>= 1 }
            return r
        }
        var t = [Int](repeating: 0, count: length)
        var l = 0, u = length - 1
        for c in 0..<8192 where c.nonzeroBitCount == n {
            let r = reverse13(c)
            if r < c { continue }
            if r == c {
                if u >= 0 { t[u] = c }; u -= 1
            } else if l + 1 < length {
                t[l] = c; t[l + 1] = r; l += 2
            }
        }
        return t
    }

    static let table1 = nOf13Table(5, 1287)
    static let table2 = nOf13Table(2, 78)

    static let table4: [(Int, Int, Int, Int)] = [
        (7, 2, 4, 3), (1, 10, 0, 0), (9, 12, 2, 8), (5, 5, 6, 11), (8, 9, 3, 1), (0, 1, 5, 12),
        (2, 5, 1, 8), (4, 4, 9, 11), (6, 3, 8, 10), (3, 9, 7, 6), (5, 11, 1, 4), (8, 5, 2, 12),
        (9, 10, 0, 2), (7, 1, 6, 7), (3, 6, 4, 9), (0, 3, 8, 6), (6, 4, 2, 7), (1, 1, 9, 9),
        (7, 10, 5, 2), (4, 0, 3, 8), (6, 2, 0, 4), (8, 11, 1, 0), (9, 8, 3, 12), (2, 6, 7, 7),
        (5, 1, 4, 10), (1, 12, 6, 9), (7, 3, 8, 0), (5, 8, 9, 7), (4, 6, 2, 10), (3, 4, 0, 5),
        (8, 4, 5, 7), (7, 11, 1, 9), (6, 0, 9, 6), (0, 6, 4, 8), (2, 1, 3, 2), (5, 9, 8, 12),
        (4, 11, 6, 1), (9, 5, 7, 4), (3, 3, 1, 2), (0, 7, 2, 0), (1, 3, 4, 1), (6, 10, 3, 5),
        (8, 7, 9, 4), (2, 11, 5, 6), (0, 8, 7, 12), (4, 2, 8, 1), (5, 10, 3, 0), (9, 3, 0, 9),
        (6, 5, 2, 4), (7, 8, 1, 7), (5, 0, 4, 5), (2, 3, 0, 10), (6, 12, 9, 2), (3, 11, 1, 6),
        (8, 8, 7, 9), (5, 4, 0, 11), (1, 5, 2, 2), (9, 1, 4, 12), (8, 3, 6, 6), (7, 0, 3, 7),
        (4, 7, 7, 5), (0, 12, 1, 11), (2, 9, 9, 0), (6, 8, 5, 3), (3, 10, 8, 2),
    ]

    /// The 65 bar states (T = tracker, D = descender, A = ascender, F = full).
    static func fourStateBars(tracking: String, routing: String) throws(BarcodeError) -> String {
        var value = try binaryValue(tracking: tracking, routing: routing)
        let fcs = crc11(value)
        var cw = [Int](repeating: 0, count: 10)
        cw[9] = Int(value.divmod(636))
        for k in stride(from: 8, through: 1, by: -1) { cw[k] = Int(value.divmod(1365)) }
        let a = value.limbs[0]
        guard value.limbs.dropFirst().allSatisfy({ $0 == 0 }), a <= 658 else {
            throw .invalidValue(symbology: "USPS_4State", value: tracking, reason: "value out of range")
        }
        cw[0] = Int(a) + ((fcs & 1024) != 0 ? 659 : 0)
        cw[9] *= 2
        var chars = [Int](repeating: 0, count: 10)
        for i in 0..<10 {
            var c = cw[i] <= 1286 ? table1[cw[i]] : table2[min(cw[i] - 1287, 77)]
            if (fcs >> i) & 1 != 0 { c = ~c & 0x1FFF }
            chars[i] = c
        }
        let states: [Character] = ["T", "D", "A", "F"]
        var out = ""
        for (dc, db, ac, ab) in table4 {
            out.append(states[((chars[dc] >> db) & 1) + 2 * ((chars[ac] >> ab) & 1)])
        }
        return out
    }

    static func fourState(value: String, options o: BarcodeOptions) throws(BarcodeError) -> Scene {
        // ReportLab's widget (BarcodeUSPS_4State) defaults routing to '01234567891'; an empty
        // routing means the value carries tracking + routing (20, 25, 29 or 31 digits).
        var tracking = value
        var routing = o.routing ?? "01234567891"
        if routing.isEmpty {
            let n = value.count
            guard [20, 25, 29, 31].contains(n) else {
                throw .invalidValue(symbology: "USPS_4State", value: value,
                                    reason: "value+routing length must be 20, 25, 29 or 31 digits not \(n)")
            }
            tracking = String(value.prefix(20)); routing = String(value.dropFirst(20))
        } else if ![5, 9, 11].contains(routing.count) {
            throw .invalidValue(symbology: "USPS_4State", value: value,
                                reason: "routing length must be 5, 9 or 11 digits not \(routing.count)")
        }
        let bars = try fourStateBars(tracking: String(tracking.prefix(20)), routing: routing)
        let ws = min(1, max(0, o.widthSize ?? 1))
        var hs = min(1, max(0, o.heightSize ?? 1))
        func scale(_ v: (Double, Double), _ s: Double) -> Double { 72 * (v.0 * (1 - s) + s * v.1) }
        // usps4s.py dimensions (USPS-B-3200 current values), in inches (min, max).
        let tops: [Character: (Double, Double)] = ["F": (0.0625, 0.0825), "T": (0.0195, 0.0285), "A": (0.0625, 0.0825), "D": (0.0195, 0.0285)]
        let bottoms: [Character: (Double, Double)] = ["F": (-0.0625, -0.0825), "T": (-0.0195, -0.0285), "D": (-0.0625, -0.0825), "A": (-0.0195, -0.0285)]
        var barWidth = scale((0.015, 0.025), ws)
        if let bw = o.barWidth { barWidth = 72 * min(max(bw / 72, 0.015), 0.025) }
        let pitch = scale((0.0416, 0.050), ws)
        let hcz = scale((0.125, 0.125), ws)
        var barHeight: Double
        if let bh = o.barHeight {
            barHeight = 72 * min(max(bh / 72, 0.125), 0.165)
            // ReportLab derives heightSize from the clamped height in points, which always saturates.
            hs = min(1, max(0, (barHeight - 0.125) / (0.165 - 0.125)))
        } else {
            barHeight = scale((0.0625, 0.0825), hs) - scale((-0.0625, -0.0825), hs)
        }
        let vcz = scale((0.028, 0.028), hs)
        let humanReadable = o.humanReadable ?? false
        let fontSize = o.fontSize ?? 11
        let fontName = o.fontName ?? "Courier"
        let width = 2 * hcz + barWidth + 64 * pitch
        var height = 2 * vcz + barHeight
        if humanReadable { height += fontSize * 1.2 + vcz }
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: width, height: height))
        let y0 = vcz + barHeight * 0.5
        var x = hcz
        for b in bars {
            let bottom = scale(bottoms[b] ?? (0, 0), hs) + y0
            let top = scale(tops[b] ?? (0, 0), hs) + y0
            scene.rect(x, bottom, barWidth, top - bottom)
            x += pitch
        }
        if humanReadable {
            func slice(_ a: Int, _ b: Int) -> String {
                let chars = Array(tracking)
                return String(chars[min(a, chars.count)..<min(b, chars.count)])
            }
            var parts = [slice(0, 2), slice(2, 5), slice(5, 11), slice(11, tracking.count)]
            if !routing.isEmpty { parts.append(routing) }
            scene.text(hcz, barHeight + 2 * vcz + 0.2 * fontSize, parts.joined(separator: " "),
                       fontName: fontName, fontSize: fontSize, anchor: .start)
        }
        return scene
    }
}
