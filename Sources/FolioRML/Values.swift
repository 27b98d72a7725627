import Foundation

/// Parsers for RML's attribute value syntax (lengths, booleans, lists).
public enum RMLValue {
    /// Parses a length in points: a number with an optional unit (`pt`, `cm`, `mm`, `in`, `inch`, `i`,
    /// `pica`). Returns nil when it is not a length.
    public static func length(_ raw: String) -> Double? {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if s.isEmpty { return nil }
        var factor = 1.0
        for (unit, f) in [("inch", 72.0), ("pica", 12.0), ("cm", 72 / 2.54), ("mm", 72 / 25.4), ("in", 72.0), ("pt", 1.0), ("i", 72.0)] where s.hasSuffix(unit) {
            factor = f
            s = String(s.dropLast(unit.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        if s.hasSuffix("*") { s = String(s.dropLast()) }
        // Beyond a million points (350 m) a length is a mistake or an attack; refusing it keeps
        // every later computation finite.
        guard let v = Double(s), v.isFinite, abs(v * factor) <= 1_000_000 else { return nil }
        return v * factor
    }

    /// Parses a boolean: true/false, yes/no, 1/0, on/off (any case). OpenERP stylesheets also write numbers.
    public static func bool(_ raw: String) -> Bool? {
        switch raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "true", "yes", "1", "on", "y": return true
        case "false", "no", "0", "off", "n", "": return false
        default:
            if let d = Double(raw.trimmingCharacters(in: .whitespaces)) { return d != 0 }
            return nil
        }
    }

    /// Splits a list such as `(1cm, 2cm)`, `1cm 2cm` or `[1,2]` into its items.
    public static func list(_ raw: String) -> [String] {
        let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: "()[] \n\t\r"))
        let separators = trimmed.contains(",") ? CharacterSet(charactersIn: ",") : CharacterSet.whitespacesAndNewlines
        return trimmed.components(separatedBy: separators)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "()[] \n\t\r")) }
            .filter { !$0.isEmpty }
    }
}

/// Typed, located reading of an element's attributes. Bad values produce a located warning (an error
/// in strict mode) and fall back to the default, as OpenERP's renderer did.
public extension RMLElement {
    func length(_ name: String, diagnostics: DiagnosticSink) throws(RMLError) -> Double? {
        guard let raw = self[name] else { return nil }
        if let v = RMLValue.length(raw) { return v }
        try diagnostics.warn("attribute '\(name)' on <\(self.name)>: '\(raw)' is not a length", at: location)
        return nil
    }

    func number(_ name: String, diagnostics: DiagnosticSink) throws(RMLError) -> Double? {
        guard let raw = self[name] else { return nil }
        if let v = Double(raw.trimmingCharacters(in: .whitespaces)), v.isFinite, abs(v) <= 1_000_000 { return v }
        if let v = RMLValue.length(raw) { return v }
        try diagnostics.warn("attribute '\(name)' on <\(self.name)>: '\(raw)' is not a number", at: location)
        return nil
    }

    func bool(_ name: String, diagnostics: DiagnosticSink) throws(RMLError) -> Bool? {
        guard let raw = self[name] else { return nil }
        if let v = RMLValue.bool(raw) { return v }
        try diagnostics.warn("attribute '\(name)' on <\(self.name)>: '\(raw)' is not a boolean", at: location)
        return nil
    }

    func color(_ name: String, diagnostics: DiagnosticSink, userColors: [String: Color] = [:]) throws(RMLError) -> Color? {
        guard let raw = self[name] else { return nil }
        if let c = Color.parse(raw, userColors: userColors) { return c }
        let guess = Color.approximate(raw)
        try diagnostics.warn("attribute '\(name)' on <\(self.name)>: unknown colour '\(raw)', \(guess == .black ? "black" : "a close colour") used", at: location)
        return guess
    }

    func lengths(_ name: String, diagnostics: DiagnosticSink) throws(RMLError) -> [Double]? {
        guard let raw = self[name] else { return nil }
        var out: [Double] = []
        for item in RMLValue.list(raw) {
            guard let v = RMLValue.length(item) else {
                try diagnostics.warn("attribute '\(name)' on <\(self.name)>: '\(item)' is not a length", at: location)
                return nil
            }
            out.append(v)
        }
        return out
    }
}
