// Public API of the FolioBarcode module: pure-Swift barcode encoders whose geometry follows
// ReportLab's `reportlab.graphics.barcode` package as driven by RML `<barCode>` /
// `<barCodeFlowable>` (z3c.rml calls `createBarcodeDrawing(code, **attributes)`).
// Defaults, encodings and drawing geometry were checked shape-for-shape against ReportLab 5.1
// (`createBarcodeDrawing` output) for every symbology listed in `Barcode.symbologies`.

/// Options for ``Barcode/make(code:value:options:)``.
///
/// Every optional left `nil` takes the symbology's ReportLab default, exactly as an RML
/// attribute that is not written. All lengths are in points (1/72 inch).
public struct BarcodeOptions: Sendable {
    /// Width of the narrowest bar/space (X dimension). QR: the drawn symbol width (default 32 mm).
    public var barWidth: Double?
    /// Height of the bars. QR: the drawn symbol height (default 32 mm).
    public var barHeight: Double?
    /// Wide-to-narrow ratio for two-width codes (Code 39, I2of5, MSI, Codabar, Code 11).
    public var ratio: Double?
    /// Whether quiet zones are part of the symbol. `nil` = symbology default
    /// (true for most codes, false for FIM and POSTNET).
    public var quiet: Bool?
    /// Left quiet zone, used when `quiet` is on.
    public var lquiet: Double?
    /// Right quiet zone, used when `quiet` is on.
    public var rquiet: Double?
    /// Print the human-readable text. `nil` = symbology default (on for EAN/UPC, off otherwise).
    public var humanReadable: Bool?
    /// Human-readable font size (default 12 for the classic codes, 8 for EAN/UPC, 11 for USPS 4-state).
    public var fontSize: Double?
    /// Human-readable font (default "Courier", "Helvetica" for EAN/UPC).
    public var fontName: String?
    /// Whether to add the check character(s) (`nil` = symbology default).
    public var checksum: Bool?
    /// Code 11 only: number of check digits (0, 1, 2, or -1 for automatic); overrides `checksum`.
    public var checksumDigits: Int?
    /// Height of I2of5 bearer bars in multiples of `barWidth` (I2of5 default 3, others 0).
    public var bearers: Double?
    /// Whether start/stop characters are drawn (default true).
    public var stop: Bool?
    /// Width of inter-character gaps for discrete codes (default: `barWidth`).
    public var gap: Double?
    /// FIM / POSTNET distance between bars.
    public var spaceWidth: Double?
    /// POSTNET short-bar height.
    public var shortHeight: Double?
    /// QR error-correction level "L", "M", "Q" or "H" (default "L").
    public var barLevel: String?
    /// QR quiet border in modules (default 4).
    public var barBorder: Double?
    /// QR version 1...40, `nil` = smallest version that fits.
    public var qrVersion: Int?
    /// USPS 4-state routing code (0, 5, 9 or 11 digits; ReportLab's widget default is "01234567891").
    public var routing: String?
    /// USPS 4-state width adjustment in 0...1 (default 1).
    public var widthSize: Double?
    /// USPS 4-state height adjustment in 0...1 (default 1).
    public var heightSize: Double?
    /// Scale the finished drawing to this width (as `createBarcodeDrawing(width=...)` does).
    public var width: Double?
    /// Scale the finished drawing to this height.
    public var height: Double?
    /// Keep the aspect ratio when scaling to `width`/`height`.
    public var isoScale: Bool = false

    /// Creates options with every value at its symbology default.
    public init() {}
}

/// A filled rectangle, in points, y up.
public struct BarcodeRect: Sendable, Equatable {
    /// Left edge.
    public var x: Double
    /// Bottom edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// Creates a rectangle.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
}

/// A human-readable text run of a barcode.
public struct BarcodeText: Sendable, Equatable {
    /// Horizontal alignment of the text relative to `x`.
    public enum Anchor: Sendable { case start, middle, end }
    /// Baseline position (anchor point).
    public var x: Double
    /// Baseline position.
    public var y: Double
    /// The text.
    public var text: String
    /// Font size in points (already multiplied by the drawing's vertical scale).
    public var fontSize: Double
    /// Alignment relative to `x`.
    public var anchor: Anchor
    /// One of the 14 standard PDF font names (ReportLab default "Courier"; EAN/UPC "Helvetica").
    public var fontName: String
    /// Horizontal stretch to apply to the glyphs (1 unless the drawing was scaled non-uniformly).
    public var horizontalScale: Double

    /// Creates a text run.
    public init(x: Double, y: Double, text: String, fontSize: Double, anchor: Anchor,
                fontName: String = "Courier", horizontalScale: Double = 1) {
        self.x = x; self.y = y; self.text = text; self.fontSize = fontSize; self.anchor = anchor
        self.fontName = fontName; self.horizontalScale = horizontalScale
    }
}

/// A barcode as vector shapes, in points, origin at the bottom-left corner of the symbol's bounding box
/// (quiet zones included), y up.
///
/// The bounding box is the one ReportLab's `createBarcodeDrawing` computes: the widget frame
/// united with every bar and every text (text boxes run from 0.2·size below the baseline to
/// 1·size above it), so a drawing placed at (x, y) overlays ReportLab's `drawOn(canvas, x, y)`.
public struct BarcodeDrawing: Sendable {
    /// Width of the bounding box.
    public var width: Double
    /// Height of the bounding box.
    public var height: Double
    /// Filled rectangles (bars, bearer bars, QR module runs).
    public var bars: [BarcodeRect]
    /// Human-readable texts.
    public var texts: [BarcodeText]

    /// Creates a drawing.
    public init(width: Double, height: Double, bars: [BarcodeRect], texts: [BarcodeText]) {
        self.width = width; self.height = height; self.bars = bars; self.texts = texts
    }
}

/// Errors thrown by ``Barcode/make(code:value:options:)``.
public enum BarcodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `code` name is not one of ``Barcode/symbologies``.
    case unknownSymbology(String)
    /// The value cannot be encoded by the symbology (or an option is out of range).
    case invalidValue(symbology: String, value: String, reason: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .unknownSymbology(let name):
            return "unknown barcode symbology '\(name)' (known: \(Barcode.symbologies.joined(separator: ", ")))"
        case .invalidValue(let symbology, let value, let reason):
            return "illegal barcode value '\(value)' for \(symbology): \(reason)"
        }
    }
}

/// Entry point: encodes a value with a named symbology.
public enum Barcode {
    /// Symbology names, spelled as ReportLab's `getCodeNames()` (matching is case-insensitive).
    public static let symbologies: [String] = [
        "Code128", "Code128Auto", "Standard39", "Extended39", "Standard93", "Extended93",
        "EAN13", "EAN8", "UPCA", "EAN5", "ISBN", "I2of5", "Codabar", "Code11", "MSI",
        "POSTNET", "FIM", "USPS_4State", "QR",
    ]

    /// Encodes `value` with the symbology `code` (case-insensitive, e.g. "code128", "Ean13", "QR").
    ///
    /// - Throws: ``BarcodeError/unknownSymbology(_:)`` for an unknown name,
    ///   ``BarcodeError/invalidValue(symbology:value:reason:)`` when the value cannot be encoded.
    public static func make(code: String, value: String, options: BarcodeOptions = .init()) throws(BarcodeError) -> BarcodeDrawing {
        let key = String(code.lowercased().map { $0 == "-" ? "_" : $0 })
        guard let name = symbologies.first(where: { $0.lowercased() == key }) else {
            throw .unknownSymbology(code)
        }
        let maxLength = name == "QR" ? 7100 : 2000
        guard value.unicodeScalars.count <= maxLength else {
            throw .invalidValue(symbology: name, value: String(value.prefix(40)) + "…",
                                reason: "value longer than \(maxLength) characters")
        }
        for v in [options.barWidth, options.barHeight, options.ratio, options.lquiet, options.rquiet,
                  options.fontSize, options.bearers, options.gap, options.spaceWidth,
                  options.shortHeight, options.barBorder, options.width, options.height,
                  options.widthSize, options.heightSize] {
            if let v, !v.isFinite {
                throw .invalidValue(symbology: name, value: value, reason: "non-finite option value")
            }
        }
        if let w = options.barWidth, w <= 0 {
            throw .invalidValue(symbology: name, value: value, reason: "barWidth must be positive")
        }
        let scene: Scene
        switch name {
        case "Code128": scene = try Code128.scene(value: value, options: options, auto: false)
        case "Code128Auto": scene = try Code128.scene(value: value, options: options, auto: true)
        case "Standard39": scene = try Code39.scene(value: value, options: options, extended: false)
        case "Extended39": scene = try Code39.scene(value: value, options: options, extended: true)
        case "Standard93": scene = try Code93.scene(value: value, options: options, extended: false)
        case "Extended93": scene = try Code93.scene(value: value, options: options, extended: true)
        case "EAN13": scene = try EAN.scene(value: value, options: options, kind: .ean13)
        case "EAN8": scene = try EAN.scene(value: value, options: options, kind: .ean8)
        case "UPCA": scene = try EAN.scene(value: value, options: options, kind: .upca)
        case "EAN5": scene = try EAN.scene(value: value, options: options, kind: .ean5)
        case "ISBN": scene = try EAN.scene(value: value, options: options, kind: .isbn)
        case "I2of5": scene = try DiscreteCodes.i2of5(value: value, options: options)
        case "Codabar": scene = try DiscreteCodes.codabar(value: value, options: options)
        case "Code11": scene = try DiscreteCodes.code11(value: value, options: options)
        case "MSI": scene = try DiscreteCodes.msi(value: value, options: options)
        case "POSTNET": scene = try USPS.postnet(value: value, options: options)
        case "FIM": scene = try USPS.fim(value: value, options: options)
        case "USPS_4State": scene = try USPS.fourState(value: value, options: options)
        case "QR": scene = try QRWidget.scene(value: value, options: options)
        default: throw .unknownSymbology(code)
        }
        return scene.finish(options: options)
    }
}
