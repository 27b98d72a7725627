/// A 2-D affine transform `[a b c d e f]` as in PDF: x' = a·x + c·y + e, y' = b·x + d·y + f.
public struct AffineTransform: Sendable, Hashable {
    public var a, b, c, d, e, f: Double
    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.e = e; self.f = f
    }
    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)
    public static func translation(_ x: Double, _ y: Double) -> AffineTransform { .init(a: 1, b: 0, c: 0, d: 1, e: x, f: y) }
    public static func scale(_ sx: Double, _ sy: Double) -> AffineTransform { .init(a: sx, b: 0, c: 0, d: sy, e: 0, f: 0) }
    /// Counter-clockwise rotation in degrees.
    public static func rotation(_ degrees: Double) -> AffineTransform {
        let r = degrees * .pi / 180
        return .init(a: cos(r), b: sin(r), c: -sin(r), d: cos(r), e: 0, f: 0)
    }
    /// `self` applied after `other` (other first).
    public func concatenating(_ m: AffineTransform) -> AffineTransform {
        AffineTransform(a: a * m.a + b * m.c, b: a * m.b + b * m.d,
                        c: c * m.a + d * m.c, d: c * m.b + d * m.d,
                        e: e * m.a + f * m.c + m.e, f: e * m.b + f * m.d + m.f)
    }
}

/// A rectangle in points, origin bottom-left, y up (RML's coordinate system).
public struct Rect: Sendable, Hashable {
    public var x, y, width, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

import Foundation

/// A length for messages: whole points, safe for any value.
func points(_ v: Double) -> String {
    v.isFinite ? String(format: "%.0f", v) : "∞"
}
