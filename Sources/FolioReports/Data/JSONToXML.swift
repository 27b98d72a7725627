import FolioRML
import Foundation

/// Turns posted JSON data into data XML for a report's stylesheet.
///
/// The mapping:
/// - the document becomes the root element `rootName` (default `data`);
/// - an object's members become child elements named by their keys, in the order written;
/// - an array becomes repeated elements named by the key that holds it (`{"line": [1, 2]}` →
///   `<line>1</line><line>2</line>`); an array at the top level or directly inside another array
///   gives `item` elements (`[[1]]` → `<data><item><item>1</item></item></data>`); an empty array
///   gives no element;
/// - strings become text (escaped); numbers are written exactly as in the JSON (`1.50` stays
///   `1.50`, `1e3` stays `1e3`); booleans are `true` / `false`;
/// - `null` becomes an empty element with `null="true"`;
/// - a key that is not a valid XML name is sanitised — characters other than letters, digits,
///   `_`, `-`, `.` become `_`, a name not starting with a letter or `_` (or starting with `xml`)
///   gets a `_` prefix, the empty key becomes `_` — and the original key is kept in a `key`
///   attribute: `{"2nd total": 5}` → `<_2nd_total key="2nd total">5</_2nd_total>`;
/// - characters XML 1.0 cannot carry (control characters other than tab and line breaks) become
///   U+FFFD.
///
/// Input must be strict JSON (RFC 8259, UTF-8, an optional BOM); duplicate keys are kept in
/// order. Errors (kind `.data`) give the line and column; nesting is limited to 256 levels and the
/// input to 64 MiB.
public enum JSONToXML {
    public static let maxDepth = 256
    public static let maxBytes = 64 << 20

    public static func convert(_ json: Data, rootName: String = "data") throws(ReportError) -> Data {
        try element(json, rootName: rootName).xmlData()
    }

    /// The same mapping, as a tree (e.g. to insert a corporate header before serializing).
    public static func element(_ json: Data, rootName: String = "data") throws(ReportError) -> DataElement {
        guard DataXMLWriter.isValidName(rootName) else {
            throw ReportError(.definition, "invalid root element name '\(rootName)'")
        }
        guard json.count <= maxBytes else { throw ReportError(.limit, "JSON data larger than \(maxBytes) bytes") }
        var parser = JSONScanner(bytes: [UInt8](json))
        let value = try parser.parseDocument()
        var root = DataElement(rootName)
        fill(&root, with: value)
        return root
    }

    enum Value {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    static func fill(_ element: inout DataElement, with value: Value) {
        switch value {
        case .object(let members):
            for (key, v) in members { add(key: key, value: v, to: &element) }
        case .array(let items):
            for item in items { add(key: nil, value: item, to: &element) }
        case .string(let s): element.append(text: s)
        case .number(let n): element.append(text: n)
        case .bool(let b): element.append(text: b ? "true" : "false")
        case .null: element.attributes.append(DataAttribute("null", "true"))
        }
    }

    /// Adds the element(s) for one member (`key`) or one array item (`key == nil`: named `item`).
    static func add(key: String?, value: Value, to parent: inout DataElement) {
        let (name, original) = key.map(sanitize) ?? ("item", nil)
        if case .array(let items) = value, key != nil {
            for item in items {
                var child = DataElement(name)
                if let original { child.attributes.append(DataAttribute("key", original)) }
                fill(&child, with: item)
                parent.append(child)
            }
            return
        }
        var child = DataElement(name)
        if let original { child.attributes.append(DataAttribute("key", original)) }
        fill(&child, with: value)
        parent.append(child)
    }

    /// A valid element name for `key`, and the original when it had to change.
    static func sanitize(_ key: String) -> (String, String?) {
        if DataXMLWriter.isValidName(key) && !key.lowercased().hasPrefix("xml") { return (key, nil) }
        var scalars = String.UnicodeScalarView()
        for c in key.unicodeScalars {
            scalars.append(DataXMLWriter.isNameChar(c) ? c : "_")
        }
        var name = String(scalars)
        if let first = name.unicodeScalars.first, !DataXMLWriter.isNameStart(first) || name.lowercased().hasPrefix("xml") {
            name = "_" + name
        }
        if name.isEmpty { name = "_" }
        return (name, key)
    }
}

/// A strict RFC 8259 parser that keeps member order and numbers' text.
struct JSONScanner {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    func fail(_ message: String) -> ReportError {
        var line = 1, column = 1
        for b in bytes[..<min(i, bytes.count)] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return ReportError(.data, "invalid JSON: \(message)", at: SourceLocation(file: "<json>", line: line, column: column))
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func parseDocument() throws(ReportError) -> JSONToXML.Value {
        skipSpace()
        let v = try parseValue()
        skipSpace()
        guard i == bytes.count else { throw fail("unexpected data after the JSON value") }
        return v
    }

    mutating func parseValue() throws(ReportError) -> JSONToXML.Value {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONToXML.maxDepth else { throw fail("nested more than \(JSONToXML.maxDepth) levels") }
            i += 1
            var members: [(String, JSONToXML.Value)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try parseString()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                members.append((key, try parseValue()))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONToXML.maxDepth else { throw fail("nested more than \(JSONToXML.maxDepth) levels") }
            i += 1
            var items: [JSONToXML.Value] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try parseValue())
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: String) throws(ReportError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("invalid literal") }
        i += w.count
    }

    mutating func parseNumber() throws(ReportError) -> String {
        let start = i
        func digit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, digit(bytes[i]) else { throw fail("invalid number") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, digit(bytes[i]) else { throw fail("invalid number") }
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, digit(bytes[i]) else { throw fail("invalid number") }
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func parseString() throws(ReportError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw fail("control character in a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            out.append(contentsOf: Array("\u{FFFD}".utf8))
                            code = low
                        }
                    } else {
                        code = 0xFFFD
                    }
                }
                if (0xDC00...0xDFFF).contains(code) { code = 0xFFFD }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("the string is not valid UTF-8") }
        return s
    }

    mutating func hex4() throws(ReportError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 48...57: d = UInt32(b - 48)
            case 97...102: d = UInt32(b - 87)
            case 65...70: d = UInt32(b - 55)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
