import Foundation

/// A package version: `major.minor.patch`, three non-negative integers (no pre-release or build
/// suffixes). Ordered numerically, component by component; written and decoded as the string
/// `"1.2.3"`.
public struct SemanticVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `x.y.z`; nil for anything else (missing parts, signs, leading `v`, suffixes).
    public init?(_ text: String) {
        guard let parts = Self.components(text), parts.count == 3 else { return nil }
        self.init(parts[0], parts[1], parts[2])
    }

    /// Splits `1`, `1.2` or `1.2.3` into numbers; nil when a part is not a plain decimal number.
    static func components(_ text: String) -> [Int]? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(pieces.count) else { return nil }
        var out: [Int] = []
        for p in pieces {
            guard !p.isEmpty, p.count <= 9, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p) else { return nil }
            // No leading zeros ("01"), as in semver.
            if p.count > 1 && p.first == "0" { return nil }
            out.append(n)
        }
        return out
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try Self.decodeString(c)
        guard let v = SemanticVersion(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a version of the form x.y.z (e.g. 1.0.0)")
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// YAML reads `1.0` as a number; accept numbers too so the message names the real problem.
    static func decodeString(_ c: any SingleValueDecodingContainer) throws -> String {
        if let s = try? c.decode(String.self) { return s }
        if let i = try? c.decode(Int.self) { return String(i) }
        if let d = try? c.decode(Double.self) { return String(d) }
        return try c.decode(String.self)
    }
}

/// A set of acceptable versions, written as in npm/Cargo:
///
/// | form | meaning |
/// |---|---|
/// | `*` (or empty) | any version |
/// | `1.2.3`, `=1.2.3` | exactly 1.2.3; a partial `1.2` means `>=1.2.0 <1.3.0`, `1` means `>=1.0.0 <2.0.0` |
/// | `>1.2.3`, `>=1.2`, `<2`, `<=1.4.0` | comparisons; missing parts are zero |
/// | `^1.2.3` | compatible: `>=1.2.3 <2.0.0`; `^0.2.3` = `>=0.2.3 <0.3.0`; `^0.0.3` = `>=0.0.3 <0.0.4`; `^1.2` = `>=1.2.0 <2.0.0` |
/// | `~1.2.3` | patch updates: `>=1.2.3 <1.3.0`; `~1.2` = `>=1.2.0 <1.3.0`; `~1` = `>=1.0.0 <2.0.0` |
/// | `1.2.x`, `1.*` | wildcards, as the partial forms |
///
/// Comparators separated by spaces (or commas) must all hold; `||` separates alternatives.
/// Decoded from and encoded to its text.
public struct VersionRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One bound.
    public struct Comparator: Sendable, Hashable, CustomStringConvertible {
        public enum Op: String, Sendable { case eq = "=", lt = "<", le = "<=", gt = ">", ge = ">=" }
        public var op: Op
        public var version: SemanticVersion
        public func matches(_ v: SemanticVersion) -> Bool {
            switch op {
            case .eq: v == version
            case .lt: v < version
            case .le: v <= version
            case .gt: v > version
            case .ge: v >= version
            }
        }
        public var description: String { op == .eq ? version.description : op.rawValue + version.description }
    }

    /// Alternatives (joined by `||`), each a conjunction of comparators; empty conjunction = any.
    public private(set) var alternatives: [[Comparator]]
    /// The range as written.
    public let text: String

    /// Any version.
    public static let any = VersionRange(uncheckedText: "*", alternatives: [[]])

    private init(uncheckedText: String, alternatives: [[Comparator]]) {
        self.text = uncheckedText
        self.alternatives = alternatives
    }

    /// Parses a range; throws a `.package` error that quotes the text and names the bad part.
    public init(parsing text: String) throws(ReportError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var alternatives: [[Comparator]] = []
        for alt in trimmed.components(separatedBy: "||") {
            let tokens = Self.tokens(alt)
            if tokens.isEmpty {
                if trimmed.isEmpty { alternatives.append([]); continue }
                throw ReportError(.package, "version range '\(text)': empty alternative around '||'")
            }
            var conj: [Comparator] = []
            for t in tokens {
                guard let cs = Self.comparators(t) else {
                    throw ReportError(.package, "version range '\(text)': '\(t)' is not a version constraint (use forms like >=1.0.0 <2.0.0, ^1.2, ~1.2.3, 1.2.x or *)")
                }
                conj += cs
            }
            alternatives.append(conj)
        }
        self.text = trimmed.isEmpty ? "*" : trimmed
        self.alternatives = alternatives
    }

    /// Whether the version satisfies the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        alternatives.contains { $0.allSatisfy { $0.matches(version) } }
    }

    public var description: String { text }

    /// The range with each constraint expanded into plain comparators, e.g. `>=1.2.0 <2.0.0`.
    public var normalized: String {
        alternatives.map { $0.isEmpty ? "*" : $0.map(\.description).joined(separator: " ") }.joined(separator: " || ")
    }

    public static func == (a: VersionRange, b: VersionRange) -> Bool { a.alternatives == b.alternatives }
    public func hash(into h: inout Hasher) { h.combine(alternatives) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try SemanticVersion.decodeString(c)
        do {
            self = try VersionRange(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    // MARK: parsing

    /// Splits on spaces and commas, gluing an operator written apart from its version (`>= 1.0`).
    private static func tokens(_ s: String) -> [String] {
        let raw = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        var out: [String] = []
        for r in raw {
            if let last = out.last, ["<", "<=", ">", ">=", "=", "^", "~"].contains(last) {
                out[out.count - 1] = last + r
            } else {
                out.append(r)
            }
        }
        return out
    }

    private static func comparators(_ token: String) -> [Comparator]? {
        var t = Substring(token)
        if t == "*" || t == "x" || t == "X" { return [] }
        var prefix = ""
        for op in [">=", "<=", ">", "<", "=", "^", "~"] where t.hasPrefix(op) {
            prefix = op
            t = t.dropFirst(op.count)
            break
        }
        if t.hasPrefix("v") { t = t.dropFirst() }
        // Wildcard parts: 1.2.x, 1.*
        var parts = t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        while let last = parts.last, ["x", "X", "*"].contains(last) { parts.removeLast() }
        if parts.isEmpty { return prefix.isEmpty || prefix == "=" ? [] : nil }
        guard let nums = SemanticVersion.components(parts.joined(separator: ".")) else { return nil }
        let n = nums.count
        let base = SemanticVersion(nums[0], n > 1 ? nums[1] : 0, n > 2 ? nums[2] : 0)
        /// The first version above everything that matches a partial version.
        func partialUpper() -> SemanticVersion {
            switch n {
            case 1: SemanticVersion(base.major + 1, 0, 0)
            case 2: SemanticVersion(base.major, base.minor + 1, 0)
            default: SemanticVersion(base.major, base.minor, base.patch + 1)
            }
        }
        switch prefix {
        case ">=": return [Comparator(op: .ge, version: base)]
        case ">":
            // >1.2 means above every 1.2.x
            return n == 3 ? [Comparator(op: .gt, version: base)] : [Comparator(op: .ge, version: partialUpper())]
        case "<": return [Comparator(op: .lt, version: base)]
        case "<=":
            return n == 3 ? [Comparator(op: .le, version: base)] : [Comparator(op: .lt, version: partialUpper())]
        case "^":
            let upper: SemanticVersion
            if base.major > 0 || n == 1 {
                upper = SemanticVersion(base.major + 1, 0, 0)
            } else if base.minor > 0 || n == 2 {
                upper = SemanticVersion(0, base.minor + 1, 0)
            } else {
                upper = SemanticVersion(0, 0, base.patch + 1)
            }
            return [Comparator(op: .ge, version: base), Comparator(op: .lt, version: upper)]
        case "~":
            let upper = n == 1 ? SemanticVersion(base.major + 1, 0, 0) : SemanticVersion(base.major, base.minor + 1, 0)
            return [Comparator(op: .ge, version: base), Comparator(op: .lt, version: upper)]
        default: // "" or "="
            if n == 3 { return [Comparator(op: .eq, version: base)] }
            return [Comparator(op: .ge, version: base), Comparator(op: .lt, version: partialUpper())]
        }
    }
}
