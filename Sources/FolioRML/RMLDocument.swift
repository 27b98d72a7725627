/// A parsed RML document: the element tree plus typed access to its top-level parts.
///
/// The tree is kept whole (each node with its location); the layout stage interprets the story and
/// templates from it. Parsing validates names against `RMLSchema` and reports unknown elements and
/// attributes through the diagnostic sink.
public struct RMLDocument: Sendable {
    /// The `<document>` element.
    public let root: RMLElement

    /// Builds a document from a parsed root element, reporting unknown vocabulary.
    public init(root: RMLElement, diagnostics: DiagnosticSink) throws(RMLError) {
        guard root.name == "document" else {
            throw RMLError("the root element is <\(root.name)>, expected <document>", at: root.location)
        }
        self.root = root
        try Self.validate(root, parent: nil, diagnostics: diagnostics)
    }

    /// The output file name the document asks for (`filename` attribute).
    public var filename: String? { root["filename"] }
    /// `<docinit>`: font registrations, colours, aliases.
    public var docinit: RMLElement? { root.first("docinit") }
    /// `<template>`: page size and page templates (absent for canvas-only documents).
    public var template: RMLElement? { root.first("template") }
    /// `<stylesheet>`: paragraph, table and list styles.
    public var stylesheet: RMLElement? { root.first("stylesheet") }
    /// `<story>`: the flowing content.
    public var story: RMLElement? { root.first("story") }
    /// `<pageDrawing>`s of a canvas-only document, one per page.
    public var pageDrawings: [RMLElement] { root.elements(named: "pageDrawing") }

    /// Whether any part of the document refers to the total page count or to names defined later,
    /// which needs a first layout pass that only counts.
    public var needsCountingPass: Bool {
        func scan(_ e: RMLElement) -> Bool {
            if e.name == "pageCount" || e.name == "getName" { return true }
            return e.elements.contains(where: scan)
        }
        return scan(root)
    }

    private static func validate(_ e: RMLElement, parent: RMLElement?, diagnostics: DiagnosticSink) throws(RMLError) {
        if !RMLSchema.isKnownElement(e.name) {
            try diagnostics.warn("unknown element <\(e.name)>\(parent.map { " in <\($0.name)>" } ?? "") is ignored", at: e.location)
            return
        }
        for a in e.attributes where !RMLSchema.isKnownAttribute(a.name, on: e.name) {
            try diagnostics.warn("unknown attribute '\(a.name)' on <\(e.name)> is ignored", at: e.location)
        }
        for child in e.elements {
            try validate(child, parent: e, diagnostics: diagnostics)
        }
    }
}
