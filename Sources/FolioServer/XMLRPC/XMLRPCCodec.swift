import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads XML-RPC method calls and writes method responses and faults.
public enum XMLRPCCodec {
    /// A parsed `methodCall`.
    public struct Call: Sendable {
        public var method: String
        public var parameters: [XMLRPCValue]
    }

    /// Parses a `methodCall` document. Documents with a DOCTYPE are refused (no entities).
    public static func parseCall(_ data: Data) throws(XMLRPCFault) -> Call {
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw XMLRPCFault("BadRequest", "document type declarations are not accepted")
        }
        let tree = ElementTreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = tree
        guard parser.parse(), let root = tree.root else {
            let line = parser.lineNumber
            throw XMLRPCFault("BadRequest", "malformed XML-RPC request at line \(line): \(parser.parserError.map { "\($0)" } ?? "parse error")")
        }
        guard root.name == "methodCall", let name = root.child("methodName")?.text.trimmingCharacters(in: .whitespacesAndNewlines),
              !name.isEmpty else {
            throw XMLRPCFault("BadRequest", "expected <methodCall> with a <methodName>")
        }
        var params: [XMLRPCValue] = []
        for param in root.child("params")?.children.filter({ $0.name == "param" }) ?? [] {
            guard let value = param.child("value") else { throw XMLRPCFault("BadRequest", "<param> without <value>") }
            params.append(try decode(value))
        }
        return Call(method: name, parameters: params)
    }

    private static func decode(_ value: Element) throws(XMLRPCFault) -> XMLRPCValue {
        guard let typed = value.children.first else { return .string(value.text) }
        let text = typed.text
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch typed.name {
        case "int", "i4", "i8":
            guard let i = Int(trimmed) else { throw XMLRPCFault("BadRequest", "bad integer '\(trimmed)'") }
            return .int(i)
        case "boolean":
            guard trimmed == "0" || trimmed == "1" else { throw XMLRPCFault("BadRequest", "bad boolean '\(trimmed)'") }
            return .bool(trimmed == "1")
        case "string": return .string(text)
        case "double":
            guard let d = Double(trimmed) else { throw XMLRPCFault("BadRequest", "bad double '\(trimmed)'") }
            return .double(d)
        case "dateTime.iso8601": return .dateTime(trimmed)
        case "base64":
            guard let d = Data(base64Encoded: trimmed, options: .ignoreUnknownCharacters) else {
                throw XMLRPCFault("BadRequest", "bad base64 value")
            }
            return .base64(d)
        case "nil": return .null
        case "array":
            var items: [XMLRPCValue] = []
            for v in typed.child("data")?.children.filter({ $0.name == "value" }) ?? [] { items.append(try decode(v)) }
            return .array(items)
        case "struct":
            var members: [(String, XMLRPCValue)] = []
            for m in typed.children where m.name == "member" {
                guard let n = m.child("name"), let v = m.child("value") else {
                    throw XMLRPCFault("BadRequest", "<member> needs <name> and <value>")
                }
                members.append((n.text, try decode(v)))
            }
            return .structure(members)
        default:
            throw XMLRPCFault("BadRequest", "unknown XML-RPC type <\(typed.name)>")
        }
    }

    /// A `methodResponse` carrying one value.
    public static func response(_ value: XMLRPCValue) -> Data {
        var out = "<?xml version=\"1.0\"?>\n<methodResponse><params><param>"
        encode(value, into: &out)
        out += "</param></params></methodResponse>\n"
        return Data(out.utf8)
    }

    /// A `methodResponse` carrying a fault.
    public static func fault(_ fault: XMLRPCFault) -> Data {
        var out = "<?xml version=\"1.0\"?>\n<methodResponse><fault>"
        encode(.structure([("faultCode", .string(fault.code)), ("faultString", .string(fault.message))]), into: &out)
        out += "</fault></methodResponse>\n"
        return Data(out.utf8)
    }

    static func encode(_ value: XMLRPCValue, into out: inout String) {
        out += "<value>"
        switch value {
        case .int(let i): out += "<int>\(i)</int>"
        case .bool(let b): out += "<boolean>\(b ? 1 : 0)</boolean>"
        case .string(let s): out += "<string>\(escape(s))</string>"
        case .double(let d): out += "<double>\(d)</double>"
        case .dateTime(let s): out += "<dateTime.iso8601>\(escape(s))</dateTime.iso8601>"
        case .base64(let d): out += "<base64>\(d.base64EncodedString())</base64>"
        case .null: out += "<nil/>"
        case .array(let items):
            out += "<array><data>"
            for i in items { encode(i, into: &out) }
            out += "</data></array>"
        case .structure(let members):
            out += "<struct>"
            for (k, v) in members {
                out += "<member><name>\(escape(k))</name>"
                encode(v, into: &out)
                out += "</member>"
            }
            out += "</struct>"
        }
        out += "</value>"
    }

    static func escape(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\r": r += "&#13;"
            default: r.unicodeScalars.append(c)
            }
        }
        return r
    }

    // MARK: tree

    final class Element {
        let name: String
        var children: [Element] = []
        var text = ""
        init(name: String) { self.name = name }
        func child(_ n: String) -> Element? { children.first { $0.name == n } }
    }

    final class ElementTreeBuilder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let e = Element(name: name)
            if let parent = stack.last { parent.children.append(e) } else { root = e }
            stack.append(e)
            if stack.count > 64 { parser.abortParsing() }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            stack.last?.text += String(decoding: block, as: UTF8.self)
        }
    }
}
