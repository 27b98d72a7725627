import Foundation

/// Builds RML canvas operations (the content of an `<illustration>` or `<pageGraphics>`) as text,
/// with numbers written deterministically (at most two decimals) and text escaped.
struct ChartCanvas {
    private(set) var ops: [String] = []

    var rml: String { ops.joined(separator: "\n") }

    mutating func raw(_ s: String) { ops.append(s) }

    mutating func fill(_ color: String) { ops.append("<fill color=\"\(RMLText.attribute(color))\"/>") }
    mutating func stroke(_ color: String) { ops.append("<stroke color=\"\(RMLText.attribute(color))\"/>") }
    mutating func lineWidth(_ w: Double) { ops.append("<lineMode width=\"\(n(w))\"/>") }
    mutating func dash(_ pattern: [Double]?) {
        ops.append("<lineMode dash=\"\(pattern.map { $0.map(n).joined(separator: ",") } ?? "")\"/>")
    }
    mutating func font(_ name: String, _ size: Double) { ops.append("<setFont name=\"\(name)\" size=\"\(n(size))\"/>") }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: Bool, stroke: Bool) {
        ops.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill ? 1 : 0)\" stroke=\"\(stroke ? 1 : 0)\"/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) {
        ops.append("<lines>\(n(x1)) \(n(y1)) \(n(x2)) \(n(y2))</lines>")
    }

    mutating func circle(_ x: Double, _ y: Double, _ r: Double, fill: Bool, stroke: Bool) {
        ops.append("<circle x=\"\(n(x))\" y=\"\(n(y))\" radius=\"\(n(r))\" fill=\"\(fill ? 1 : 0)\" stroke=\"\(stroke ? 1 : 0)\"/>")
    }

    /// An open polyline.
    mutating func polyline(_ points: [(Double, Double)]) {
        guard let first = points.first else { return }
        let rest = points.dropFirst().map { "\(n($0.0)) \(n($0.1))" }.joined(separator: " ")
        ops.append("<path x=\"\(n(first.0))\" y=\"\(n(first.1))\" fill=\"0\" stroke=\"1\">\(rest)</path>")
    }

    /// A pie slice: centre, radius, from angle `a0` to `a1` (degrees, counter-clockwise positive),
    /// as one closed path of a line and Bézier arcs of at most 90° each.
    mutating func wedge(cx: Double, cy: Double, r: Double, from a0: Double, to a1: Double, fill: Bool, stroke: Bool) {
        let full = abs(a1 - a0) >= 359.999
        let segments = max(1, Int((abs(a1 - a0) / 90).rounded(.up)))
        let d = (a1 - a0) / Double(segments) * .pi / 180
        let k = 4.0 / 3.0 * tan(d / 4)
        var a = a0 * .pi / 180
        var curves: [String] = []
        let start = (cx + r * cos(a), cy + r * sin(a))
        for _ in 0..<segments {
            let b = a + d
            let p0 = (cx + r * cos(a), cy + r * sin(a))
            let p3 = (cx + r * cos(b), cy + r * sin(b))
            let p1 = (p0.0 - k * r * sin(a), p0.1 + k * r * cos(a))
            let p2 = (p3.0 + k * r * sin(b), p3.1 - k * r * cos(b))
            curves.append([p1.0, p1.1, p2.0, p2.1, p3.0, p3.1].map(n).joined(separator: " "))
            a = b
        }
        // A whole circle starts on the rim; a slice starts at the centre.
        let (sx, sy) = full ? start : (cx, cy)
        let lineTo = full ? "" : "\(n(start.0)) \(n(start.1))"
        ops.append("<path x=\"\(n(sx))\" y=\"\(n(sy))\" close=\"1\" fill=\"\(fill ? 1 : 0)\" stroke=\"\(stroke ? 1 : 0)\">\(lineTo)<curvesto>\(curves.joined(separator: " "))</curvesto></path>")
    }

    enum Anchor { case left, right, centre }

    mutating func text(_ s: String, x: Double, y: Double, anchor: Anchor = .left) {
        let tag = switch anchor {
        case .left: "drawString"
        case .right: "drawRightString"
        case .centre: "drawCentredString"
        }
        ops.append("<\(tag) x=\"\(n(x))\" y=\"\(n(y))\">\(RMLText.escape(s))</\(tag)>")
    }

    /// Text rotated by `degrees` around its anchor point.
    mutating func rotatedText(_ s: String, x: Double, y: Double, degrees: Double, anchor: Anchor) {
        ops.append("<saveState/>")
        ops.append("<translate dx=\"\(n(x))\" dy=\"\(n(y))\"/>")
        ops.append("<rotate degrees=\"\(n(degrees))\"/>")
        text(s, x: 0, y: 0, anchor: anchor)
        ops.append("<restoreState/>")
    }

    /// A number as RML wants it: at most two decimals, no trailing zeros, no `-0`.
    func n(_ v: Double) -> String { ChartFormat.coordinate(v) }
}

enum ChartFormat {
    static func coordinate(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        var s = String(format: "%.2f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    /// A value for labels: `decimals` places, or up to two significant ones when nil.
    static func value(_ v: Double, decimals: Int? = nil) -> String {
        guard v.isFinite else { return "–" }
        let d = decimals ?? (v == v.rounded() ? 0 : 2)
        var s = String(format: "%.\(d)f", v)
        if s.hasPrefix("-") && Double(s) == 0 { s.removeFirst() }
        return s
    }

    static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        return String(format: p >= 10 || p == 0 ? "%.0f %%" : "%.1f %%", p)
    }
}

/// Approximate text widths with Helvetica's advance widths (AFM, per 1000 em), enough to lay out
/// legends and axis labels without a font engine; characters outside ASCII count as 556.
enum TextMetrics {
    private static let helvetica: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // p … ~
    ]

    static func width(_ s: String, size: Double, bold: Bool = false) -> Double {
        var total = 0
        for u in s.unicodeScalars {
            if u.value >= 32 && u.value < 127 { total += helvetica[Int(u.value) - 32] }
            else if u.properties.isIdeographic || (0x3040...0x30ff).contains(u.value) || (0xac00...0xd7af).contains(u.value) { total += 1000 }
            else { total += 556 }
        }
        return Double(total) / 1000 * size * (bold ? 1.08 : 1)
    }

    /// The text cut with an ellipsis so that it fits `maxWidth`.
    static func truncate(_ s: String, to maxWidth: Double, size: Double, bold: Bool = false) -> String {
        if width(s, size: size, bold: bold) <= maxWidth { return s }
        var chars = Array(s)
        while !chars.isEmpty && width(String(chars) + "…", size: size, bold: bold) > maxWidth { chars.removeLast() }
        return chars.isEmpty ? "" : String(chars) + "…"
    }
}

