import FolioRML
import Foundation

/// Translations of a stylesheet's static text into one language: source text (`msgid`) →
/// translation (`msgstr`).
///
/// Used by `StylesheetCache` to translate the text of elements marked `t="1"` before a stylesheet
/// is compiled, as OpenERP did with its `ir.translation` entries of type `xsl`.
public struct TranslationCatalog: Sendable, Hashable {
    /// Source text → translation. Keys are the marked text with surrounding white space removed
    /// and newlines turned into spaces.
    public var entries: [String: String]

    public init(entries: [String: String]) {
        self.entries = entries
    }

    /// The translation of `text`, if the catalogue has a non-empty one.
    public func translation(of text: String) -> String? {
        guard let t = entries[text], !t.isEmpty else { return nil }
        return t
    }

    /// Reads a gettext catalogue (`.po`). Header, fuzzy, obsolete and untranslated entries are
    /// skipped; `msgctxt` is ignored (the first entry for a `msgid` wins); for plural entries the
    /// singular form (`msgstr[0]`) is used.
    /// - Throws: `ReportError` of kind `.notFound` when the file cannot be read, `.package` with
    ///   the place for a malformed catalogue.
    public static func load(poFile path: String) throws(ReportError) -> TranslationCatalog {
        let text = try readUTF8(path)
        return try parsePO(text, file: path)
    }

    /// Reads a JSON object of strings (`{"Packing List": "Liste de colisage", …}`).
    /// - Throws: `ReportError` of kind `.notFound` when the file cannot be read, `.package` when it
    ///   is not a JSON object of strings.
    public static func load(jsonFile path: String) throws(ReportError) -> TranslationCatalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportError(.notFound, "cannot read the translation catalogue '\(path)'")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw ReportError(.package, "not valid JSON", at: SourceLocation(file: path, line: 1, column: 1))
        }
        guard let dict = object as? [String: Any] else {
            throw ReportError(.package, "a translation catalogue must be a JSON object of strings", at: SourceLocation(file: path, line: 1, column: 1))
        }
        var entries: [String: String] = [:]
        for (key, value) in dict {
            guard let s = value as? String else {
                throw ReportError(.package, "the translation of '\(key)' is not a string", at: SourceLocation(file: path, line: 1, column: 1))
            }
            entries[key] = s
        }
        return TranslationCatalog(entries: entries)
    }

    private static func readUTF8(_ path: String) throws(ReportError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportError(.notFound, "cannot read the translation catalogue '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError(.package, "the translation catalogue is not UTF-8", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    /// Parses the text of a `.po` file.
    static func parsePO(_ text: String, file: String) throws(ReportError) -> TranslationCatalog {
        enum Field { case none, context, id, plural, str(Int) }
        var entries: [String: String] = [:]
        var field = Field.none
        var msgid: String?
        var msgstr: [Int: String] = [:]
        var fuzzy = false
        var nextFuzzy = false
        var started = false

        func finish() {
            defer {
                msgid = nil
                msgstr = [:]
                started = false
                field = .none
            }
            guard started, !fuzzy, let id = msgid, !id.isEmpty, let str = msgstr[0], !str.isEmpty else { return }
            if entries[id] == nil { entries[id] = str }
        }

        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\r", with: "")
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if line.hasPrefix("#,") && line.contains("fuzzy") { nextFuzzy = true }
                continue
            }
            let location = SourceLocation(file: file, line: lineNumber, column: 1)
            if line.hasPrefix("\"") {
                let s = try unquote(line, at: location)
                switch field {
                case .none: throw ReportError(.package, "a string outside an entry", at: location)
                case .context: break
                case .id: msgid = (msgid ?? "") + s
                case .plural: break
                case .str(let n): msgstr[n] = (msgstr[n] ?? "") + s
                }
                continue
            }
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw ReportError(.package, "expected a keyword and a quoted string", at: location)
            }
            let keyword = String(line[..<space])
            let rest = line[space...].trimmingCharacters(in: .whitespaces)
            let s = try unquote(rest, at: SourceLocation(file: file, line: lineNumber, column: keyword.count + 2))
            switch keyword {
            case "msgctxt":
                finish()
                fuzzy = nextFuzzy
                nextFuzzy = false
                started = true
                field = .context
            case "msgid":
                if case .context = field {} else {
                    finish()
                    fuzzy = nextFuzzy
                    nextFuzzy = false
                }
                started = true
                msgid = s
                field = .id
            case "msgid_plural":
                field = .plural
            case "msgstr":
                guard msgid != nil else { throw ReportError(.package, "msgstr without msgid", at: location) }
                msgstr[0] = s
                field = .str(0)
            default:
                if keyword.hasPrefix("msgstr["), keyword.hasSuffix("]"), let n = Int(keyword.dropFirst(7).dropLast()) {
                    guard msgid != nil else { throw ReportError(.package, "msgstr without msgid", at: location) }
                    msgstr[n] = s
                    field = .str(n)
                } else {
                    throw ReportError(.package, "unknown keyword '\(keyword)'", at: location)
                }
            }
        }
        finish()
        return TranslationCatalog(entries: entries)
    }

    /// A PO string literal: `"…"` with C escapes.
    private static func unquote(_ s: String, at location: SourceLocation) throws(ReportError) -> String {
        let chars = Array(s.unicodeScalars)
        guard chars.count >= 2, chars.first == "\"", chars.last == "\"" else {
            throw ReportError(.package, "expected a quoted string", at: location)
        }
        var out = String.UnicodeScalarView()
        var i = 1
        let end = chars.count - 1
        while i < end {
            let c = chars[i]
            if c == "\"" { throw ReportError(.package, "unescaped quote inside a string", at: location) }
            if c != "\\" {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < end else { throw ReportError(.package, "a string ends with a backslash", at: location) }
            let e = chars[i]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var value = e.value - 48
                var digits = 1
                while digits < 3, i < end, ("0"..."7").contains(chars[i]) {
                    value = value * 8 + (chars[i].value - 48)
                    i += 1
                    digits += 1
                }
                if let scalar = Unicode.Scalar(value) { out.append(scalar) }
            case "x":
                var value: UInt32 = 0
                var digits = 0
                while i < end, digits < 8, let h = Int(String(chars[i]), radix: 16) {
                    value = value * 16 + UInt32(h)
                    i += 1
                    digits += 1
                }
                guard digits > 0, let scalar = Unicode.Scalar(value) else {
                    throw ReportError(.package, "bad \\x escape", at: location)
                }
                out.append(scalar)
            default: out.append(e)
            }
        }
        return String(out)
    }
}
