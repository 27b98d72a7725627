import Testing
@testable import FolioBarcode

/// Expands a ReportLab multi-width pattern ("BaAbAd": upper case = bar, letter index = modules)
/// into a module string of 1s and 0s.
private func modules(_ pattern: String) -> String {
    var out = ""
    for c in pattern.unicodeScalars {
        if c.value >= 65 && c.value <= 90 {
            out += String(repeating: "1", count: Int(c.value - 64))
        } else if c.value >= 97 && c.value <= 122 {
            out += String(repeating: "0", count: Int(c.value - 96))
        }
    }
    return out
}

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol }

private func expectInvalid(_ code: String, _ value: String, _ options: BarcodeOptions = .init(),
                           sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try Barcode.make(code: code, value: value, options: options)
        Issue.record("expected \(code) '\(value)' to throw", sourceLocation: sourceLocation)
    } catch {
        if case .invalidValue = error {} else {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct CheckDigitTests {
    @Test func ean13CheckDigit() throws {
        #expect(EAN.checkDigit([4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3], kind: .ean13) == 1)
        let d = try Barcode.make(code: "Ean13", value: "400638133393")
        #expect(d.texts.map(\.text) == ["4", "006381", "333931"])
        // A 13-digit value gives the same symbol (ReportLab keeps 12 digits and recomputes).
        let d13 = try Barcode.make(code: "EAN13", value: "4006381333931")
        #expect(d13.bars == d.bars)
    }

    @Test func ean8AndUPCACheckDigits() {
        #expect(EAN.checkDigit([9, 6, 3, 8, 5, 0, 7], kind: .ean8) == 4)  // 96385074
        #expect(EAN.checkDigit([0, 3, 6, 0, 0, 0, 2, 9, 1, 4, 5], kind: .upca) == 2)  // 036000291452
    }

    @Test func eanModules() throws {
        let s = [4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3, 1]
        let m = EAN.modules(s, kind: .ean13, lquiet: 0, rquiet: 0)
        #expect(m.count == 95)
        #expect(m.hasPrefix("101" + "0001101"))  // guard, then '0' in the odd set (first digit 4 → LGLLGG)
        #expect(m.hasSuffix("1100110" + "101"))  // check digit 1 in the right set, guard
    }

    @Test func i2of5AndMSIAndPOSTNET() throws {
        #expect(try DiscreteCodes.i2of5Digits("1234", checksum: true) == [0, 1, 2, 3, 4, 8])
        #expect(try DiscreteCodes.i2of5Digits("123", checksum: false) == [0, 1, 2, 3])
        #expect(try DiscreteCodes.msiEncoded("1234", checksum: true) == [1, 2, 3, 4, 4])
        #expect(try USPS.postnetDigits("78247-1043") == "7824710434")
        #expect(try DiscreteCodes.codabarEncoded("12345", checksum: false, stop: true) == "A12345A")
        #expect(try DiscreteCodes.code11Encoded("123-45", checkDigits: -1, stop: true) == "S123-455S")
    }
}

@Suite struct Code128Tests {
    @Test func startBPattern() {
        #expect(modules(Code128.patterns[104]) == "11010010000")
        #expect(modules(Code128.patterns[106]) == "1100011101011")
        for p in Code128.patterns.dropLast() { #expect(modules(p).count == 11) }
    }

    @Test func encodesLikeReportLab() throws {
        // Values from ReportLab 5.1 `Code128('AB-12345678').encode()`: B, then C for the digits.
        #expect(try Code128.encode("AB-12345678", auto: false) == [104, 33, 34, 13, 99, 12, 34, 56, 78, 66, 106])
        // All digits: START_C.
        #expect(try Code128.encode("123456", auto: false).first == 105)
        // Odd digit run at the end: one digit stays in B, the rest go to C.
        #expect(Code128.tokens("BBBB12345", auto: false) == ["START_B", "B", "B", "B", "B", "1", "TO_C", "23", "45", "STOP"])
    }

    @Test func drawingWidthInModules() throws {
        let d = try Barcode.make(code: "code128", value: "AB-12345678")
        // 11 symbols × 11 modules + 2 for the stop bar, at 0.0075 in, plus 2 × 0.25 in quiet zones.
        #expect(close(d.width, (11 * 11 + 2) * 0.54 + 36))
        #expect(close(d.height, 18))
        #expect(d.bars.first == BarcodeRect(x: 18, y: 0, width: 1.08, height: 18))
        #expect(d.texts.isEmpty)
    }

    @Test func humanReadableText() throws {
        var o = BarcodeOptions()
        o.humanReadable = true
        let d = try Barcode.make(code: "Code128", value: "Hi", options: o)
        let t = try #require(d.texts.first)
        #expect(t.text == "Hi" && t.fontName == "Courier" && t.fontSize == 12 && t.anchor == .middle)
        // Baseline 1.07 × Courier ascent below the bars; box reaches 0.2 × size below the baseline.
        let below = 1.07 * 629 * 12 / 1000 + 0.2 * 12
        #expect(close(d.height, 18 + below))
        #expect(close(t.y, 0.2 * 12))
        #expect(close(d.bars[0].y, below))
    }
}

@Suite struct Code39Tests {
    @Test func startStopPattern() throws {
        #expect(Code39.patterns["*"]?.0 == "bSbsBsBsb")
        #expect(try Code39.encoded("abc", extended: false, checksum: true, stop: true) == "*ABCX*")
        #expect(try Code39.encoded("a", extended: true, checksum: false, stop: true) == "*+A*")
        let d = try Barcode.make(code: "Standard39", value: "A")
        // '*' starts with a narrow bar after the 0.25 in quiet zone; wide = 2.2 × narrow.
        #expect(d.bars[0] == BarcodeRect(x: 18, y: 0, width: 0.54, height: 18))
        #expect(close(d.bars[1].x, 18 + 0.54 + 0.54 * 2.2))
    }
}

@Suite struct DefaultGeometryTests {
    /// (code, value, width, height, rect count, first rect) from ReportLab 5.1 `createBarcodeDrawing`.
    static let reference: [(String, String, Double, Double, Int, [Double])] = [
        ("Code128", "AB-12345678", 102.42, 18.0, 34, [18.0, 0, 1.08, 18.0]),
        ("Code128Auto", "XY149740345GB", 120.24, 18.0, 43, [18.0, 0, 1.08, 18.0]),
        ("Standard39", "A012345B%R", 130.932, 18.0, 65, [18.0, 0.0, 0.54, 18.0]),
        ("Extended39", "A012345B}", 130.932, 18.0, 65, [18.0, 0.0, 0.54, 18.0]),
        ("Standard93", "CODE 93", 90.0, 18.0, 34, [18.0, 0, 0.54, 18.0]),
        ("Extended93", "L@@K! Code 93 ;-)", 172.62, 20.493, 85, [18.0, 0, 0.54, 20.493]),
        ("EAN13", "400638133393", 105.703937007874, 73.502362204724, 30, [8.418898, 0, 0.935433, 73.502362]),
        ("EAN8", "1234567", 79.511811023622, 73.502362204724, 22, [8.418898, 0, 0.935433, 73.502362]),
        ("UPCA", "03600029145", 103.603905511811, 73.502362204724, 30, [8.418898, 0, 0.935433, 73.502362]),
        ("EAN5", "52495", 53.31968503937, 73.502362204724, 16, [9.354331, 9.6, 0.935433, 63.902362]),
        ("ISBN", "978030640615", 105.703937007874, 83.422362204724, 30, [8.418898, 0, 0.935433, 73.502362]),
        ("I2of5", "1234", 39.204, 21.24, 21, [5.4, 0.81, 0.54, 18.81]),
        ("Codabar", "A012345B", 47.268, 18.0, 32, [4.68, 0.0, 0.468, 18.0]),
        ("Code11", "01234545634563", 90.612, 18.0, 54, [5.4, 0.0, 0.54, 18.0]),
        ("MSI", "1234", 74.556, 18.0, 23, [18.0, 0.0, 1.188, 18.0]),
        ("POSTNET", "78247-1043", 168.372, 9.0, 52, [0, 0.0, 1.296, 9.0]),
        ("FIM", "A", 38.25, 45.0, 5, [0, 0.0, 2.25, 45.0]),
        ("USPS_4State", "01234567094987654321", 250.2, 15.912, 65, [9.0, 5.904, 1.8, 7.992]),
        ("QR", "Hello World", 90.708661417323, 90.708661417323, 115, [12.51154, 75.069237, 21.895194, 3.127885]),
    ]

    @Test(arguments: 0..<reference.count)
    func matchesReportLab(_ i: Int) throws {
        let (code, value, w, h, n, first) = Self.reference[i]
        let d = try Barcode.make(code: code, value: value)
        #expect(close(d.width, w, 1e-6), "\(code) width \(d.width)")
        #expect(close(d.height, h, 1e-6), "\(code) height \(d.height)")
        #expect(d.bars.count == n, "\(code) bars \(d.bars.count)")
        let r = try #require(d.bars.first)
        #expect(close(r.x, first[0], 1e-5) && close(r.y, first[1], 1e-5)
                && close(r.width, first[2], 1e-5) && close(r.height, first[3], 1e-5), "\(code) \(r)")
    }

    @Test func scaling() throws {
        var o = BarcodeOptions()
        o.width = 200; o.height = 50
        let d = try Barcode.make(code: "Code128", value: "AB-12345678", options: o)
        #expect(close(d.width, 200) && close(d.height, 50))
        #expect(close(d.bars[0].x, 18 * 200 / 102.42))
        o.isoScale = true
        let iso = try Barcode.make(code: "Code128", value: "AB-12345678", options: o)
        #expect(close(iso.width / iso.height, 102.42 / 18))
    }
}

@Suite struct QRTests {
    static let helloWorldM = [
        "111111100010101111111", "100000101110001000001", "101110100010101011101",
        "101110100010101011101", "101110101011101011101", "100000100111001000001",
        "111111101010101111111", "000000000000000000000", "101010100100100010010",
        "011110001001000010001", "000111111101001011000", "111101011001110101110",
        "010011110101001110101", "000000001010001000101", "111111100000100101100",
        "100000100110001101000", "101110101100101111111", "101110100011010100010",
        "101110101111011101001", "100000100001110001011", "111111101101011100001",
    ]

    @Test func helloWorldVersionAndMatrix() throws {
        let qr = try #require(QREncoder.encode("HELLO WORLD", level: .M))
        #expect(qr.version == 1 && qr.size == 21)
        #expect(QREncoder.segment(for: "HELLO WORLD").mode == .alphanumeric)
        // Module-for-module identical to ReportLab 5.1's qrencoder (same mask choice).
        let rows = qr.modules.map { $0.map { $0 ? "1" : "0" }.joined() }
        #expect(rows == Self.helloWorldM)
        // Format information around the top-left finder reads back as (M, chosen mask).
        let fmt = QREncoder.formatBits(level: .M, mask: qr.mask)
        for i in 0..<15 {
            let bit = (fmt >> i) & 1 == 1
            let (r, c) = i < 6 ? (i, 8) : (i < 8 ? (i + 1, 8) : (21 - 15 + i, 8))
            #expect(qr.modules[r][c] == bit)
        }
    }

    @Test func formatInformation() {
        #expect(QREncoder.formatBits(level: .M, mask: 0) == 0b101010000010010)
        #expect(QREncoder.formatBits(level: .L, mask: 0) == 0b111011111000100)
        #expect(QREncoder.formatBits(level: .L, mask: 4) == 0b110011000101111)
        #expect(QREncoder.formatBits(level: .Q, mask: 7) == 0b010101111101101)
        #expect(QREncoder.formatBits(level: .H, mask: 7) == 0b000100000111011)
        #expect(QREncoder.versionBits(7) == 0b000111110010010100)
    }

    @Test func blockTableIsConsistent() {
        for v in 1...40 {
            // Raw data modules (ISO 18004 formula) / 8 = total codewords for every level.
            var raw = (16 * v + 128) * v + 64
            if v >= 2 {
                let a = v / 7 + 2
                raw -= (25 * a - 10) * a - 55
                if v >= 7 { raw -= 36 }
            }
            for level in QRLevel.allCases {
                let blocks = QREncoder.rsBlocks(version: v, level: level)
                #expect(blocks.reduce(0) { $0 + $1.total } == raw / 8, "v\(v) \(level)")
                #expect(Set(blocks.map { $0.total - $0.data }).count == 1, "v\(v) \(level)")
            }
        }
    }

    @Test func versionSelectionAndModes() throws {
        #expect(QREncoder.segment(for: "0123456789").mode == .numeric)
        #expect(QREncoder.segment(for: "hello").mode == .byte)
        #expect(QREncoder.encode(String(repeating: "a", count: 17), level: .L)?.version == 1)
        #expect(QREncoder.encode(String(repeating: "a", count: 18), level: .L)?.version == 2)
        #expect(QREncoder.encode(String(repeating: "7", count: 41), level: .L)?.version == 1)
        #expect(QREncoder.encode(String(repeating: "7", count: 42), level: .L)?.version == 2)
        let big = try #require(QREncoder.encode(String(repeating: "x", count: 2953), level: .L))
        #expect(big.version == 40 && big.size == 177)
        #expect(QREncoder.encode(String(repeating: "x", count: 2954), level: .L) == nil)
    }

    @Test func widgetGeometry() throws {
        var o = BarcodeOptions()
        o.barLevel = "M"
        let d = try Barcode.make(code: "QR", value: "HELLO WORLD", options: o)
        let box = 32 * mm / 29
        #expect(close(d.width, 32 * mm) && close(d.height, 32 * mm))
        // Top-left finder row: 7 dark modules at (border, border), drawn as one run.
        let top = try #require(d.bars.first)
        #expect(close(top.x, 4 * box) && close(top.y, 32 * mm - 5 * box) && close(top.width, 7 * box))
        o.barBorder = 0; o.barWidth = 21; o.barHeight = 42
        let tall = try Barcode.make(code: "QR", value: "HELLO WORLD", options: o)
        #expect(close(tall.width, 21) && close(tall.height, 42))
        #expect(tall.bars.allSatisfy { $0.y >= 10.5 - 1e-9 && $0.y + $0.height <= 31.5 + 1e-9 })
    }
}

@Suite struct USPSTests {
    @Test func fourStateKnownAnswer() throws {
        let v = try USPS.binaryValue(tracking: "01234567094987654321", routing: "01234567891")
        #expect(USPS.crc11(v) == 0x751)
        #expect(try USPS.fourStateBars(tracking: "01234567094987654321", routing: "01234567891")
                == "AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA")
    }

    @Test func postnetShape() throws {
        let d = try Barcode.make(code: "POSTNET", value: "12345")
        #expect(d.bars.count == 2 + 6 * 5)
        #expect(d.bars.filter { $0.height < 9 }.count == 6 * 3)
    }
}

@Suite struct ErrorTests {
    @Test func unknownSymbology() {
        #expect(throws: BarcodeError.unknownSymbology("Code999")) {
            try Barcode.make(code: "Code999", value: "1")
        }
    }

    @Test func invalidValues() {
        expectInvalid("Ean13", "12345678901A")
        expectInvalid("Code128", "caf\u{E9}")
        expectInvalid("Standard39", "a_b")
        expectInvalid("Standard93", "~")
        expectInvalid("I2of5", "12a4")
        expectInvalid("MSI", "7")
        expectInvalid("Codabar", "12A34")
        expectInvalid("Code11", "12.3")
        expectInvalid("POSTNET", "1234")
        expectInvalid("FIM", "AB")
        expectInvalid("USPS_4State", "123")
        var o = BarcodeOptions()
        o.barLevel = "X"
        expectInvalid("QR", "hi", o)
        expectInvalid("QR", String(repeating: "z", count: 3000))
        expectInvalid("Code128", String(repeating: "1", count: 5000))
        var bad = BarcodeOptions()
        bad.barWidth = -1
        expectInvalid("Code128", "A", bad)
    }

    @Test func oddInputsNeverTrap() {
        let odd = ["", " ", "\u{0}", "\r\n", "🙂", "é", "*", "-", "ABCD", "A", "1", "12",
                   String(repeating: "9", count: 31), "\u{F1}", "\u{F1}1", "1\u{F1}", "\u{F1}\u{F1}12\u{F1}"]
        var flags = BarcodeOptions()
        flags.quiet = false; flags.humanReadable = true; flags.checksum = false; flags.stop = false
        for code in Barcode.symbologies {
            for v in odd {
                for o in [BarcodeOptions(), flags] {
                    if let d = try? Barcode.make(code: code, value: v, options: o) {
                        #expect(d.width.isFinite && d.height.isFinite && d.width >= 0 && d.height >= 0)
                    }
                }
            }
        }
    }
}
