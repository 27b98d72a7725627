import CFolioShims
import CXML
import Foundation

/// Well-formedness checks for the XML files of a package (stylesheets, data templates, samples),
/// with libxml2: no network, no entity expansion, errors with their line and column.
enum XMLCheck {
    static let xsltNamespace = "http://www.w3.org/1999/XSL/Transform"

    struct Result {
        /// The first error, if any.
        var error: (message: String, line: Int, column: Int)?
        var rootName: String?
        var rootNamespace: String?
    }

    static func check(_ data: Data, label: String) -> Result {
        folio_xml_global_init()
        guard let ctxt = xmlNewParserCtxt() else {
            return Result(error: ("cannot create an XML parser", 1, 1))
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc: xmlDocPtr? = data.withUnsafeBytes { raw in
            xmlCtxtReadMemory(ctxt, raw.bindMemory(to: CChar.self).baseAddress, Int32(data.count), label, nil, options)
        }
        defer { if let doc { xmlFreeDoc(doc) } }
        let last = ctxt.pointee.lastError
        if doc == nil || last.level.rawValue >= XML_ERR_ERROR.rawValue {
            let message = last.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "not well-formed XML"
            return Result(error: (message, max(Int(last.line), 1), max(Int(last.int2), 1)))
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else {
            return Result(error: ("the document has no root element", 1, 1))
        }
        let name = root.pointee.name.map { String(cString: $0) }
        let ns = root.pointee.ns?.pointee.href.map { String(cString: $0) }
        return Result(error: nil, rootName: name, rootNamespace: ns)
    }
}
