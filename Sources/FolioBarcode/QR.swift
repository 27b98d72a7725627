// QR Code model 2, following ReportLab's reportlab/graphics/barcode/qrencoder.py (segment
// mode choice, version choice, codeword layout, mask scoring) and qr.py (QrCodeWidget drawing).

import Foundation

/// Error-correction level; `formatBits` is the value stored in the format information.
enum QRLevel: Int, CaseIterable, Sendable {
    case L, M, Q, H

    var formatBits: Int {
        switch self {
        case .L: return 1
        case .M: return 0
        case .Q: return 3
        case .H: return 2
        }
    }

    init?(name: String) {
        switch name.uppercased() {
        case "L": self = .L
        case "M": self = .M
        case "Q": self = .Q
        case "H": self = .H
        default: return nil
        }
    }
}

/// A finished QR symbol.
struct QRMatrix: Sendable {
    var version: Int
    var level: QRLevel
    var mask: Int
    /// `modules[row][col]`, true = dark; row 0 is the top.
    var modules: [[Bool]]
    var size: Int { modules.count }
}

enum QREncoder {
    // MARK: Segments

    enum Mode: Int {
        case numeric = 1, alphanumeric = 2, byte = 4, kanji = 8

        func lengthBits(version v: Int) -> Int {
            let idx = v < 10 ? 0 : (v < 27 ? 1 : 2)
            switch self {
            case .numeric: return [10, 12, 14][idx]
            case .alphanumeric: return [9, 11, 13][idx]
            case .byte: return [8, 16, 16][idx]
            case .kanji: return [8, 10, 12][idx]
            }
        }
    }

    struct Segment {
        var mode: Mode
        /// Character count written in the header.
        var count: Int
        /// Payload bits (after the header).
        var bits: [Bool]
    }

    static let alphanumericChars = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".unicodeScalars)

    static func append(_ value: Int, _ n: Int, to bits: inout [Bool]) {
        for i in stride(from: n - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    /// ReportLab's `QRCode.addData`: the first of numeric, alphanumeric, kanji, byte (UTF-8)
    /// that can represent the whole string.
    static func segment(for text: String) -> Segment {
        let scalars = Array(text.unicodeScalars)
        if scalars.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) {
            var bits: [Bool] = []
            var i = 0
            while i < scalars.count {
                let group = scalars[i..<min(i + 3, scalars.count)]
                let n = group.reduce(0) { $0 * 10 + Int($1.value - 48) }
                append(n, [0, 4, 7, 10][group.count], to: &bits)
                i += 3
            }
            return Segment(mode: .numeric, count: scalars.count, bits: bits)
        }
        let alnum = scalars.compactMap { alphanumericChars.firstIndex(of: $0) }
        if alnum.count == scalars.count {
            var bits: [Bool] = []
            var i = 0
            while i < alnum.count {
                if i + 1 < alnum.count { append(alnum[i] * 45 + alnum[i + 1], 11, to: &bits) } else { append(alnum[i], 6, to: &bits) }
                i += 2
            }
            return Segment(mode: .alphanumeric, count: alnum.count, bits: bits)
        }
        if let codes = kanjiCodes(text) {
            var bits: [Bool] = []
            for c in codes { append(c, 13, to: &bits) }
            return Segment(mode: .kanji, count: codes.count, bits: bits)
        }
        let bytes = Array(text.utf8)
        var bits: [Bool] = []
        bits.reserveCapacity(bytes.count * 8)
        for b in bytes { append(Int(b), 8, to: &bits) }
        return Segment(mode: .byte, count: bytes.count, bits: bits)
    }

    /// Kanji-mode values when every character is a double-byte Shift-JIS kanji in the QR ranges.
    static func kanjiCodes(_ text: String) -> [Int]? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.value >= 0x80 }) else { return nil }
        var codes: [Int] = []
        for sc in text.unicodeScalars {
            guard let data = String(Character(sc)).data(using: .shiftJIS), data.count == 2 else { return nil }
            var c = Int(data[data.startIndex]) << 8 | Int(data[data.startIndex + 1])
            if 0x8140 <= c && c <= 0x9FFC {
                c -= 0x8140
            } else if 0xE040 <= c && c <= 0xEBBF {
                c -= 0xC140
            } else {
                return nil
            }
            codes.append(((c >> 8) * 0xC0) + (c & 0xFF))
        }
        return codes
    }

    // MARK: Error correction blocks

    /// ReportLab's RS_BLOCK_TABLE (count, total, data[, count, total, data]) per version and level
    /// L, M, Q, H; 15-H is corrected to the standard 11×(36,12) + 7×(37,13).
    static let rsBlockTable: [[Int]] = [
        [1, 26, 19], [1, 26, 16], [1, 26, 13], [1, 26, 9],
        [1, 44, 34], [1, 44, 28], [1, 44, 22], [1, 44, 16],
        [1, 70, 55], [1, 70, 44], [2, 35, 17], [2, 35, 13],
        [1, 100, 80], [2, 50, 32], [2, 50, 24], [4, 25, 9],
        [1, 134, 108], [2, 67, 43], [2, 33, 15, 2, 34, 16], [2, 33, 11, 2, 34, 12],
        [2, 86, 68], [4, 43, 27], [4, 43, 19], [4, 43, 15],
        [2, 98, 78], [4, 49, 31], [2, 32, 14, 4, 33, 15], [4, 39, 13, 1, 40, 14],
        [2, 121, 97], [2, 60, 38, 2, 61, 39], [4, 40, 18, 2, 41, 19], [4, 40, 14, 2, 41, 15],
        [2, 146, 116], [3, 58, 36, 2, 59, 37], [4, 36, 16, 4, 37, 17], [4, 36, 12, 4, 37, 13],
        [2, 86, 68, 2, 87, 69], [4, 69, 43, 1, 70, 44], [6, 43, 19, 2, 44, 20], [6, 43, 15, 2, 44, 16],
        [4, 101, 81], [1, 80, 50, 4, 81, 51], [4, 50, 22, 4, 51, 23], [3, 36, 12, 8, 37, 13],
        [2, 116, 92, 2, 117, 93], [6, 58, 36, 2, 59, 37], [4, 46, 20, 6, 47, 21], [7, 42, 14, 4, 43, 15],
        [4, 133, 107], [8, 59, 37, 1, 60, 38], [8, 44, 20, 4, 45, 21], [12, 33, 11, 4, 34, 12],
        [3, 145, 115, 1, 146, 116], [4, 64, 40, 5, 65, 41], [11, 36, 16, 5, 37, 17], [11, 36, 12, 5, 37, 13],
        [5, 109, 87, 1, 110, 88], [5, 65, 41, 5, 66, 42], [5, 54, 24, 7, 55, 25], [11, 36, 12, 7, 37, 13],
        [5, 122, 98, 1, 123, 99], [7, 73, 45, 3, 74, 46], [15, 43, 19, 2, 44, 20], [3, 45, 15, 13, 46, 16],
        [1, 135, 107, 5, 136, 108], [10, 74, 46, 1, 75, 47], [1, 50, 22, 15, 51, 23], [2, 42, 14, 17, 43, 15],
        [5, 150, 120, 1, 151, 121], [9, 69, 43, 4, 70, 44], [17, 50, 22, 1, 51, 23], [2, 42, 14, 19, 43, 15],
        [3, 141, 113, 4, 142, 114], [3, 70, 44, 11, 71, 45], [17, 47, 21, 4, 48, 22], [9, 39, 13, 16, 40, 14],
        [3, 135, 107, 5, 136, 108], [3, 67, 41, 13, 68, 42], [15, 54, 24, 5, 55, 25], [15, 43, 15, 10, 44, 16],
        [4, 144, 116, 4, 145, 117], [17, 68, 42], [17, 50, 22, 6, 51, 23], [19, 46, 16, 6, 47, 17],
        [2, 139, 111, 7, 140, 112], [17, 74, 46], [7, 54, 24, 16, 55, 25], [34, 37, 13],
        [4, 151, 121, 5, 152, 122], [4, 75, 47, 14, 76, 48], [11, 54, 24, 14, 55, 25], [16, 45, 15, 14, 46, 16],
        [6, 147, 117, 4, 148, 118], [6, 73, 45, 14, 74, 46], [11, 54, 24, 16, 55, 25], [30, 46, 16, 2, 47, 17],
        [8, 132, 106, 4, 133, 107], [8, 75, 47, 13, 76, 48], [7, 54, 24, 22, 55, 25], [22, 45, 15, 13, 46, 16],
        [10, 142, 114, 2, 143, 115], [19, 74, 46, 4, 75, 47], [28, 50, 22, 6, 51, 23], [33, 46, 16, 4, 47, 17],
        [8, 152, 122, 4, 153, 123], [22, 73, 45, 3, 74, 46], [8, 53, 23, 26, 54, 24], [12, 45, 15, 28, 46, 16],
        [3, 147, 117, 10, 148, 118], [3, 73, 45, 23, 74, 46], [4, 54, 24, 31, 55, 25], [11, 45, 15, 31, 46, 16],
        [7, 146, 116, 7, 147, 117], [21, 73, 45, 7, 74, 46], [1, 53, 23, 37, 54, 24], [19, 45, 15, 26, 46, 16],
        [5, 145, 115, 10, 146, 116], [19, 75, 47, 10, 76, 48], [15, 54, 24, 25, 55, 25], [23, 45, 15, 25, 46, 16],
        [13, 145, 115, 3, 146, 116], [2, 74, 46, 29, 75, 47], [42, 54, 24, 1, 55, 25], [23, 45, 15, 28, 46, 16],
        [17, 145, 115], [10, 74, 46, 23, 75, 47], [10, 54, 24, 35, 55, 25], [19, 45, 15, 35, 46, 16],
        [17, 145, 115, 1, 146, 116], [14, 74, 46, 21, 75, 47], [29, 54, 24, 19, 55, 25], [11, 45, 15, 46, 46, 16],
        [13, 145, 115, 6, 146, 116], [14, 74, 46, 23, 75, 47], [44, 54, 24, 7, 55, 25], [59, 46, 16, 1, 47, 17],
        [12, 151, 121, 7, 152, 122], [12, 75, 47, 26, 76, 48], [39, 54, 24, 14, 55, 25], [22, 45, 15, 41, 46, 16],
        [6, 151, 121, 14, 152, 122], [6, 75, 47, 34, 76, 48], [46, 54, 24, 10, 55, 25], [2, 45, 15, 64, 46, 16],
        [17, 152, 122, 4, 153, 123], [29, 74, 46, 14, 75, 47], [49, 54, 24, 10, 55, 25], [24, 45, 15, 46, 46, 16],
        [4, 152, 122, 18, 153, 123], [13, 74, 46, 32, 75, 47], [48, 54, 24, 14, 55, 25], [42, 45, 15, 32, 46, 16],
        [20, 147, 117, 4, 148, 118], [40, 75, 47, 7, 76, 48], [43, 54, 24, 22, 55, 25], [10, 45, 15, 67, 46, 16],
        [19, 148, 118, 6, 149, 119], [18, 75, 47, 31, 76, 48], [34, 54, 24, 34, 55, 25], [20, 45, 15, 61, 46, 16],
    ]

    /// (total codewords, data codewords) of every block.
    static func rsBlocks(version: Int, level: QRLevel) -> [(total: Int, data: Int)] {
        let row = rsBlockTable[(version - 1) * 4 + level.rawValue]
        var out: [(Int, Int)] = []
        for g in stride(from: 0, to: row.count, by: 3) {
            for _ in 0..<row[g] { out.append((row[g + 1], row[g + 2])) }
        }
        return out
    }

    static func dataCapacity(version: Int, level: QRLevel) -> Int {
        rsBlocks(version: version, level: level).reduce(0) { $0 + $1.data }
    }

    // MARK: Galois field and Reed-Solomon

    static let gfExp: [Int] = {
        var e = [Int](repeating: 0, count: 256)
        for i in 0..<8 { e[i] = 1 << i }
        for i in 8..<256 { e[i] = e[i - 4] ^ e[i - 5] ^ e[i - 6] ^ e[i - 8] }
        return e
    }()
    static let gfLog: [Int] = {
        var l = [Int](repeating: 0, count: 256)
        for i in 0..<255 { l[gfExp[i]] = i }
        return l
    }()

    static func gfMul(_ a: Int, _ b: Int) -> Int {
        (a == 0 || b == 0) ? 0 : gfExp[(gfLog[a] + gfLog[b]) % 255]
    }

    /// Generator polynomial ∏(x − αⁱ), i < n, highest degree first (leading 1 included).
    static func generator(_ n: Int) -> [Int] {
        var g = [1]
        for i in 0..<n {
            var next = [Int](repeating: 0, count: g.count + 1)
            for (j, c) in g.enumerated() {
                next[j] ^= c
                next[j + 1] ^= gfMul(c, gfExp[i])
            }
            g = next
        }
        return g
    }

    static func ecCodewords(_ data: [Int], count n: Int) -> [Int] {
        let g = generator(n)
        var rem = [Int](repeating: 0, count: n)
        for d in data {
            let factor = d ^ rem[0]
            rem.removeFirst(); rem.append(0)
            for j in 0..<n { rem[j] ^= gfMul(g[j + 1], factor) }
        }
        return rem
    }

    // MARK: Codewords

    static func bitLength(_ seg: Segment, version: Int) -> Int {
        4 + seg.mode.lengthBits(version: version) + seg.bits.count
    }

    /// Final interleaved codeword sequence (`QRCode.createData` + `createBytes`).
    static func codewords(_ seg: Segment, version: Int, level: QRLevel) -> [Int]? {
        let blocks = rsBlocks(version: version, level: level)
        let capacityBits = blocks.reduce(0) { $0 + $1.data } * 8
        let lenBits = seg.mode.lengthBits(version: version)
        guard seg.count < (1 << lenBits) else { return nil }
        var bits: [Bool] = []
        append(seg.mode.rawValue, 4, to: &bits)
        append(seg.count, lenBits, to: &bits)
        bits += seg.bits
        guard bits.count <= capacityBits else { return nil }
        if bits.count + 4 <= capacityBits { append(0, 4, to: &bits) }
        while bits.count % 8 != 0 { bits.append(false) }
        var bytes: [Int] = []
        for i in stride(from: 0, to: bits.count, by: 8) {
            var b = 0
            for k in 0..<8 { b = (b << 1) | (bits[i + k] ? 1 : 0) }
            bytes.append(b)
        }
        var pad = 0xEC
        while bytes.count * 8 < capacityBits {
            bytes.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC
        }
        var dataBlocks: [[Int]] = [], ecBlocks: [[Int]] = []
        var offset = 0
        for b in blocks {
            let d = Array(bytes[offset..<(offset + b.data)])
            offset += b.data
            dataBlocks.append(d)
            ecBlocks.append(ecCodewords(d, count: b.total - b.data))
        }
        var out: [Int] = []
        for group in [dataBlocks, ecBlocks] {
            let maxLen = group.map(\.count).max() ?? 0
            for i in 0..<maxLen {
                for blk in group where i < blk.count { out.append(blk[i]) }
            }
        }
        return out
    }

    // MARK: Matrix

    static let alignmentPositions: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46],
        [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70],
        [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
        [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122],
        [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
        [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    static func bchDigit(_ d: Int) -> Int { d == 0 ? 0 : Int.bitWidth - d.leadingZeroBitCount }

    /// 15-bit format information for (level, mask), BCH(15,5) with the 101010000010010 mask.
    static func formatBits(level: QRLevel, mask: Int) -> Int {
        let g15 = 0b101_0011_0111, g15Mask = 0b101_0100_0001_0010
        let data = (level.formatBits << 3) | mask
        var d = data << 10
        while bchDigit(d) - bchDigit(g15) >= 0 { d ^= g15 << (bchDigit(d) - bchDigit(g15)) }
        return ((data << 10) | d) ^ g15Mask
    }

    /// 18-bit version information, BCH(18,6).
    static func versionBits(_ version: Int) -> Int {
        let g18 = 0b1_1111_0010_0101
        var d = version << 12
        while bchDigit(d) - bchDigit(g18) >= 0 { d ^= g18 << (bchDigit(d) - bchDigit(g18)) }
        return (version << 12) | d
    }

    static func maskBit(_ mask: Int, _ i: Int, _ j: Int) -> Bool {
        switch mask {
        case 0: return (i + j) % 2 == 0
        case 1: return i % 2 == 0
        case 2: return j % 3 == 0
        case 3: return (i + j) % 3 == 0
        case 4: return (i / 2 + j / 3) % 2 == 0
        case 5: return (i * j) % 2 + (i * j) % 3 == 0
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: return ((i * j) % 3 + (i + j) % 2) % 2 == 0
        }
    }

    /// Function patterns; `test` leaves format/version information and the dark module light,
    /// as ReportLab does while scoring masks.
    static func functionPatterns(version: Int, level: QRLevel, mask: Int, test: Bool) -> (modules: [[Bool]], reserved: [[Bool]]) {
        let n = version * 4 + 17
        var m = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        var f = m
        func set(_ r: Int, _ c: Int, _ v: Bool) {
            guard r >= 0, r < n, c >= 0, c < n else { return }
            m[r][c] = v; f[r][c] = true
        }
        for (row, col) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for r in -1...7 {
                for c in -1...7 {
                    let inside = (0...6).contains(r) && (0...6).contains(c)
                    let dark = inside && (r == 0 || r == 6 || c == 0 || c == 6 || ((2...4).contains(r) && (2...4).contains(c)))
                    set(row + r, col + c, dark)
                }
            }
        }
        let pos = alignmentPositions[version - 1]
        for r0 in pos {
            for c0 in pos {
                if (r0 == 6 && c0 == 6) || (r0 == 6 && c0 == n - 7) || (r0 == n - 7 && c0 == 6) { continue }
                for r in -2...2 {
                    for c in -2...2 {
                        set(r0 + r, c0 + c, r == -2 || r == 2 || c == -2 || c == 2 || (r == 0 && c == 0))
                    }
                }
            }
        }
        if n > 16 {
            for i in 8..<(n - 8) {
                set(i, 6, i % 2 == 0)
                set(6, i, i % 2 == 0)
            }
        }
        let fmt = formatBits(level: level, mask: mask)
        for i in 0..<15 {
            let bit = !test && (fmt >> i) & 1 == 1
            if i < 6 { set(i, 8, bit) } else if i < 8 { set(i + 1, 8, bit) } else { set(n - 15 + i, 8, bit) }
            if i < 8 { set(8, n - i - 1, bit) } else if i < 9 { set(8, 15 - i, bit) } else { set(8, 14 - i, bit) }
        }
        set(n - 8, 8, !test)
        if version >= 7 {
            let vb = versionBits(version)
            for i in 0..<18 {
                let bit = !test && (vb >> i) & 1 == 1
                set(i / 3, i % 3 + n - 11, bit)
                set(i % 3 + n - 11, i / 3, bit)
            }
        }
        return (m, f)
    }

    /// Places the codewords in the zig-zag order and applies the mask.
    static func placeData(_ codewords: [Int], modules: inout [[Bool]], reserved: [[Bool]], mask: Int) {
        let n = modules.count
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var upward = true
        var right = n - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for k in 0..<n {
                let row = upward ? n - 1 - k : k
                for dc in 0..<2 {
                    let col = right - dc
                    if reserved[row][col] { continue }
                    var dark = false
                    if bitIndex < totalBits {
                        dark = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                    }
                    bitIndex += 1
                    modules[row][col] = dark != maskBit(mask, row, col)
                }
            }
            upward.toggle()
            right -= 2
        }
    }

    // MARK: ReportLab's mask score (QRUtil.getLostPoint)

    static func lostPoint(_ m: [[Bool]]) -> Int {
        let n = m.count
        var score = 0
        // Rule 1: runs of ≥5 same-coloured modules score run-2, in rows and columns.
        for line in 0..<n {
            var runRow = 1, runCol = 1
            for k in 1..<n {
                if m[line][k] == m[line][k - 1] { runRow += 1 } else {
                    if runRow >= 5 { score += runRow - 2 }
                    runRow = 1
                }
                if m[k][line] == m[k - 1][line] { runCol += 1 } else {
                    if runCol >= 5 { score += runCol - 2 }
                    runCol = 1
                }
            }
            if runRow >= 5 { score += runRow - 2 }
            if runCol >= 5 { score += runCol - 2 }
        }
        // Rule 2: 2×2 blocks of one colour.
        for r in 0..<(n - 1) {
            for c in 0..<(n - 1) {
                let v = m[r][c]
                if m[r][c + 1] == v && m[r + 1][c] == v && m[r + 1][c + 1] == v { score += 3 }
            }
        }
        // Rule 3: ReportLab only looks for 1011101 0000 (not its mirror), skipping ahead after a hit
        // and never testing the last possible offset. Its column pass compares tuples with a list
        // and so never scores; only rows count.
        let pattern = [true, false, true, true, true, false, true, false, false, false, false]
        let maxj = n - pattern.count
        for line in 0..<n {
            var j = 0
            while j < maxj {
                var hit = true
                for k in 0..<pattern.count where m[line][j + k] != pattern[k] { hit = false; break }
                if hit { score += 40; j += pattern.count } else { j += 1 }
            }
        }
        // Rule 4: dark proportion.
        var dark = 0
        for row in m { for v in row where v { dark += 1 } }
        score += 10 * (abs(100 * dark / (n * n) - 50) / 5)
        return score
    }

    // MARK: Entry point

    /// Encodes `text`; `version` nil picks the smallest version that holds the data.
    static func encode(_ text: String, level: QRLevel, version: Int? = nil) -> QRMatrix? {
        let seg = segment(for: text)
        let v: Int
        if let version {
            guard (1...40).contains(version) else { return nil }
            v = version
        } else {
            guard let fit = (1...40).first(where: { bitLength(seg, version: $0) <= dataCapacity(version: $0, level: level) * 8 }) else {
                return nil
            }
            v = fit
        }
        guard let cw = codewords(seg, version: v, level: level) else { return nil }
        var best = 0, bestScore = 0
        for mask in 0..<8 {
            var (m, reserved) = functionPatterns(version: v, level: level, mask: mask, test: true)
            placeData(cw, modules: &m, reserved: reserved, mask: mask)
            let s = lostPoint(m)
            if mask == 0 || s < bestScore { best = mask; bestScore = s }
        }
        var (m, reserved) = functionPatterns(version: v, level: level, mask: best, test: false)
        placeData(cw, modules: &m, reserved: reserved, mask: best)
        return QRMatrix(version: v, level: level, mask: best, modules: m)
    }
}

/// ReportLab's `QrCodeWidget` drawing: a barWidth × barHeight frame (32 mm square by default),
/// modules scaled to fit the smaller side with a border of `barBorder` modules, centred.
enum QRWidget {
    static func scene(value: String, options o: BarcodeOptions) throws(BarcodeError) -> Scene {
        let levelName = o.barLevel ?? "L"
        guard let level = QRLevel(name: levelName) else {
            throw .invalidValue(symbology: "QR", value: value, reason: "barLevel must be L, M, Q or H (got '\(levelName)')")
        }
        if let v = o.qrVersion, !(1...40).contains(v) {
            throw .invalidValue(symbology: "QR", value: value, reason: "qrVersion must be 1...40")
        }
        guard let qr = QREncoder.encode(value, level: level, version: o.qrVersion) else {
            throw .invalidValue(symbology: "QR", value: value, reason: "data too long for a QR code at level \(levelName)")
        }
        let width = o.barWidth ?? 32 * mm
        let height = o.barHeight ?? 32 * mm
        let border = max(0, o.barBorder ?? 4)
        var scene = Scene(frame: BarcodeRect(x: 0, y: 0, width: width, height: height))
        let minwh = min(width, height)
        guard minwh > 0 else { return scene }
        let box = minwh / (Double(qr.size) + border * 2)
        let offsetX = (width - minwh) / 2
        let offsetY = (minwh - height) / 2
        for (r, row) in qr.modules.enumerated() {
            var c = 0
            while c < row.count {
                var e = c
                while e < row.count && row[e] == row[c] { e += 1 }
                if row[c] {
                    scene.rect(offsetX + (Double(c) + border) * box,
                               offsetY + height - (Double(r) + border + 1) * box,
                               Double(e - c) * box, box)
                }
                c = e
            }
        }
        return scene
    }
}
