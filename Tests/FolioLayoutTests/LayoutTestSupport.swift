import Foundation
import FolioLayout
import FolioRML

/// Lays out RML source with the fixed-width shaper and returns the pages and diagnostics.
func layout(_ rml: String, strict: Bool = false) throws -> (pages: [Page], diagnostics: [Diagnostic]) {
    let sink = DiagnosticSink(strict: strict)
    let doc = try RMLParser(fileName: "test.rml").parse(Data(rml.utf8), diagnostics: sink)
    let ctx = LayoutContext(shaper: FixedWidthShaper(), diagnostics: sink,
                            resolver: ResourceResolver(baseDirectory: FileManager.default.currentDirectoryPath))
    var pages: [Page] = []
    try DocumentLayout(document: doc, context: ctx).run { page throws(RMLError) in pages.append(page) }
    return (pages, sink.diagnostics)
}

/// A text run drawn on a page: its characters and baseline origin.
struct DrawnText: Equatable, CustomStringConvertible {
    var text: String
    var x: Double
    var y: Double
    var description: String { "\(text)@(\(x), \(y))" }
}

extension Page {
    /// Text runs in drawing order.
    var texts: [DrawnText] {
        ops.compactMap { op in
            if case .glyphs(let run, let x, let y) = op { return DrawnText(text: run.text, x: x, y: y) }
            return nil
        }
    }
}

/// A one-frame document: frame at (100, 100), 200 × 300 pt, page 600 × 800.
func singleFrame(_ story: String, graphics: String = "", stylesheet: String = "") -> String {
    """
    <document>
      <template pagesize="(600, 800)">
        <pageTemplate id="main">
          <pageGraphics>\(graphics)</pageGraphics>
          <frame id="f" x1="100" y1="100" width="200" height="300"/>
        </pageTemplate>
      </template>
      <stylesheet>\(stylesheet)</stylesheet>
      <story>\(story)</story>
    </document>
    """
}
