import Foundation

/// An element of generated data XML (data templates, posted JSON, custom reports).
public struct DataElement: Sendable, Equatable {
    public var name: String
    public var attributes: [DataAttribute]
    public var children: [DataNode]

    public init(_ name: String, attributes: [DataAttribute] = [], children: [DataNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// An element holding only text.
    public init(_ name: String, text: String, attributes: [DataAttribute] = []) {
        self.init(name, attributes: attributes, children: text.isEmpty ? [] : [.text(text)])
    }

    public mutating func append(_ element: DataElement) { children.append(.element(element)) }
    public mutating func append(text: String) {
        guard !text.isEmpty else { return }
        if case .text(let t)? = children.last { children[children.count - 1] = .text(t + text) } else { children.append(.text(text)) }
    }

    /// Child elements, in order.
    public var elements: [DataElement] { children.compactMap { if case .element(let e) = $0 { e } else { nil } } }
    /// Child elements of that name.
    public func elements(named name: String) -> [DataElement] { elements.filter { $0.name == name } }
    /// The first child element of that name.
    public func first(_ name: String) -> DataElement? { elements.first { $0.name == name } }
    /// The concatenated text of this element and its descendants.
    public var text: String {
        children.map { node in
            switch node {
            case .text(let t): return t
            case .element(let e): return e.text
            }
        }.joined()
    }
    public subscript(attribute name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// The document as UTF-8 XML with an XML declaration.
    public func xmlData() -> Data {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        DataXMLWriter.write(self, into: &out)
        out += "\n"
        return Data(out.utf8)
    }

    /// This element serialized, without a declaration.
    public var xmlString: String {
        var out = ""
        DataXMLWriter.write(self, into: &out)
        return out
    }
}

public struct DataAttribute: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

public indirect enum DataNode: Sendable, Equatable {
    case element(DataElement)
    case text(String)
}

/// Serializes `DataElement` trees: escapes `& < >` in text (and `"`, tab, newline, carriage return
/// in attributes), writes `\r` as `&#13;` so it survives parsing, and replaces characters XML 1.0
/// cannot carry (control characters other than tab/newline/carriage return, U+FFFE, U+FFFF) with
/// U+FFFD. Element and attribute names are written as given: callers produce valid names.
enum DataXMLWriter {
    static func write(_ e: DataElement, into out: inout String) {
        out += "<"
        out += e.name
        for a in e.attributes {
            out += " "
            out += a.name
            out += "=\""
            escape(a.value, attribute: true, into: &out)
            out += "\""
        }
        if e.children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        for child in e.children {
            switch child {
            case .text(let t): escape(t, attribute: false, into: &out)
            case .element(let c): write(c, into: &out)
            }
        }
        out += "</"
        out += e.name
        out += ">"
    }

    static func escape(_ s: String, attribute: Bool, into out: inout String) {
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Whether `name` is a valid XML element name (no namespace prefix): a letter or `_` first, then
    /// letters, digits, `_`, `-`, `.`; non-ASCII letters and digits allowed.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        guard isNameStart(first) else { return false }
        return name.unicodeScalars.dropFirst().allSatisfy(isNameChar)
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        return c.properties.isAlphabetic
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        if isNameStart(c) { return true }
        if c.isASCII { return (c >= "0" && c <= "9") || c == "-" || c == "." }
        return c.properties.numericType != nil || c.properties.generalCategory == .nonspacingMark
            || c.properties.generalCategory == .spacingMark
    }
}
