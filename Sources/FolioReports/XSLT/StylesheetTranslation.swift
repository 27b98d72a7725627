import CFolioShims
import CXML
import Foundation

/// Translates the static text of a stylesheet tree before it is compiled, as OpenERP's
/// `report_xsl` did (`translate_aux`):
/// - an element with a non-empty `t` attribute is marked, and so is everything inside it;
/// - each text child of a marked element, and the text right after a marked element (lxml's
///   "tail"), is looked up with surrounding white space removed and newlines turned into spaces;
///   when the catalogue has a translation, that part of the text is replaced (the white space
///   around it stays);
/// - the `t` attribute itself stays (OpenERP left it, and `xsltproc` copies it to the output).
enum StylesheetTranslator {
    /// Translates in place. `document` is an `xmlDocPtr` not yet compiled.
    static func translate(_ document: UnsafeMutableRawPointer, with catalog: TranslationCatalog) {
        guard !catalog.entries.isEmpty else { return }
        let doc = document.assumingMemoryBound(to: xmlDoc.self)
        guard let root = xmlDocGetRootElement(doc) else { return }
        // Iterative walk: (node, marked-by-an-ancestor).
        var stack: [(xmlNodePtr, Bool)] = [(root, false)]
        while let (node, inherited) = stack.popLast() {
            let marked = inherited || hasTranslateMark(node)
            if marked {
                var child = node.pointee.children
                while let c = child {
                    if c.pointee.type == XML_TEXT_NODE { translateText(c, catalog) }
                    child = c.pointee.next
                }
                if let tail = node.pointee.next, tail.pointee.type == XML_TEXT_NODE, !inherited {
                    // Inside a marked parent the tail is a text child of that parent: done above.
                    translateText(tail, catalog)
                }
            }
            var child = node.pointee.children
            var children: [xmlNodePtr] = []
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE { children.append(c) }
                child = c.pointee.next
            }
            for c in children.reversed() { stack.append((c, marked)) }
        }
    }

    private static func hasTranslateMark(_ node: xmlNodePtr) -> Bool {
        guard let value = xmlGetNoNsProp(node, Array("t".utf8) + [0]) else { return false }
        defer { folio_xml_free(value) }
        return value.pointee != 0
    }

    private static func translateText(_ node: xmlNodePtr, _ catalog: TranslationCatalog) {
        guard let content = node.pointee.content else { return }
        let text = String(cString: content)
        let key = text.trimmingPythonWhitespace().replacingOccurrences(of: "\n", with: " ")
        guard !key.isEmpty, let translation = catalog.translation(of: key), text.contains(key) else { return }
        let replaced = text.replacingOccurrences(of: key, with: translation)
        xmlNodeSetContent(node, Array(replaced.utf8) + [0])
    }
}

extension String {
    /// `str.strip()`: removes leading and trailing white space.
    func trimmingPythonWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
