import FolioRML
import Foundation

/// An element of a parsed data template, with the place of its start tag.
public struct TemplateNode: Sendable {
    public enum Content: Sendable {
        case element(TemplateNode)
        case text(String)
    }

    public var name: String
    public var attributes: [DataAttribute]
    public var children: [Content]
    public var location: SourceLocation

    public subscript(_ attribute: String) -> String? { attributes.first { $0.name == attribute }?.value }
    public var elements: [TemplateNode] { children.compactMap { if case .element(let e) = $0 { e } else { nil } } }
}

/// Parses data templates with Folio's XML reader (`RMLPullReader`, the one RML is read with):
/// any declared encoding (templates were often ISO-8859-1), comments and processing instructions
/// dropped, no network, no external DTD, entity references refused. Errors name the file, line
/// and column.
enum DataTemplateParser {
    static func parse(_ data: Data, fileName: String) throws(ReportError) -> TemplateNode {
        do {
            let reader = try RMLPullReader(RMLSource(data: data, name: fileName),
                                           options: .init(qualifiedNames: true, expandEntities: false))
            while let node = try reader.next() {
                guard case .start(let start, let empty) = node else { continue }
                let root = try reader.finish(start, isEmpty: empty)
                while try reader.next() != nil {}   // what follows the root: only errors matter
                return TemplateNode(root)
            }
        } catch {
            let message = error.message.hasPrefix("entity reference") ? error.message + " in data templates" : error.message
            throw ReportError(.definition, message, at: error.location)
        }
        throw ReportError(.definition, "the template is empty", at: SourceLocation(file: fileName, line: 1, column: 1))
    }
}

extension TemplateNode {
    /// A template node from the element the reader built.
    init(_ e: RMLElement) {
        self.init(name: e.name, attributes: e.attributes.map { DataAttribute($0.name, $0.value) },
                  children: e.children.map { child in
                      switch child {
                      case .element(let c): .element(TemplateNode(c))
                      case .text(let t): .text(t)
                      }
                  }, location: e.location)
    }
}
