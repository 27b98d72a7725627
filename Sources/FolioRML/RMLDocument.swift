/// A parsed RML document: the element tree plus typed access to its top-level parts.
///
/// The tree is kept whole (each node with its location); the layout stage interprets the story and
/// templates from it. Parsing validates names against `RMLSchema` and reports unknown elements and
/// attributes through the diagnostic sink.
public struct RMLDocument: Sendable {
    /// The `<document>` element. For a streamed document, its `<story>` has no children here:
    /// they are read from `storyStream` as the layout goes.
    public let root: RMLElement
    /// Where a streamed document's story is read from (nil: the story is in `root`).
    public let storyStream: RMLStoryStream?
    private let countingPassHint: Bool?

    /// Builds a document from a parsed root element, reporting unknown vocabulary.
    public init(root: RMLElement, diagnostics: DiagnosticSink) throws(RMLError) {
        guard root.name == "document" else {
            throw RMLError("the root element is <\(root.name)>, expected <document>", at: root.location)
        }
        self.root = root
        storyStream = nil
        countingPassHint = nil
        try Self.validate(root, parent: nil, diagnostics: diagnostics)
    }

    /// A document whose story is read from a stream; `root` holds what comes before the story.
    public init(root: RMLElement, story: RMLStoryStream, needsCountingPass: Bool, diagnostics: DiagnosticSink) throws(RMLError) {
        self.root = root
        storyStream = story
        countingPassHint = needsCountingPass
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
        if let countingPassHint { return countingPassHint }
        func scan(_ e: RMLElement) -> Bool {
            if e.name == "pageCount" || e.name == "getName" { return true }
            return e.elements.contains(where: scan)
        }
        return scan(root)
    }

    /// Reports unknown elements and attributes in `e` and below.
    public static func validate(_ e: RMLElement, parent: RMLElement?, diagnostics: DiagnosticSink) throws(RMLError) {
        try validate(e, parentName: parent?.name, diagnostics: diagnostics)
    }

    /// Reports unknown elements and attributes in `e` and below.
    public static func validate(_ e: RMLElement, parentName: String?, diagnostics: DiagnosticSink) throws(RMLError) {
        if !RMLSchema.isKnownElement(e.name) {
            try diagnostics.warn("unknown element <\(e.name)>\(parentName.map { " in <\($0)>" } ?? "") is ignored", at: e.location)
            return
        }
        for a in e.attributes where !RMLSchema.isKnownAttribute(a.name, on: e.name) {
            try diagnostics.warn("unknown attribute '\(a.name)' on <\(e.name)> is ignored", at: e.location)
        }
        for child in e.elements {
            try validate(child, parentName: e.name, diagnostics: diagnostics)
        }
    }
}

/// The `<story>` of a streamed document: each layout pass opens a cursor that reads it again from
/// the source, so only the part being laid out is in memory.
public final class RMLStoryStream: Sendable {
    public let source: RMLSource

    public init(source: RMLSource) { self.source = source }

    /// A reader positioned just inside `<story>`.
    public func open(diagnostics: DiagnosticSink) throws(RMLError) -> RMLStoryCursor {
        let reader = try RMLPullReader(source)
        while let node = try reader.next() {
            guard case .start(let e, let empty) = node else { continue }
            if reader.depth == 0 { continue }   // <document>
            if e.name == "story" && !empty { return RMLStoryCursor(reader: reader, story: e, diagnostics: diagnostics) }
            try reader.skipElement()
        }
        throw RMLError("the document has no <story>", at: SourceLocation(file: source.name, line: 1, column: 1))
    }
}

/// Reads a streamed story's elements in order: the layout takes whole elements (a paragraph, a
/// short table) or only a start tag and then its children one by one (the rows of a long table).
public final class RMLStoryCursor {
    private let reader: RMLPullReader
    /// The `<story>` start tag.
    public let story: RMLElement
    private let diagnostics: DiagnosticSink
    /// Name of each open element whose children are being read (the story first).
    private var open: [String]

    init(reader: RMLPullReader, story: RMLElement, diagnostics: DiagnosticSink) {
        self.reader = reader
        self.story = story
        self.diagnostics = diagnostics
        open = ["story"]
    }

    /// What the next node of the innermost open element is.
    public enum Item {
        /// A child element's start tag (its attributes checked); take it with `finish`, `enter` or `skip`.
        case element(RMLElement, isEmpty: Bool)
        /// Character data between children.
        case text(String)
    }

    /// The next child of the innermost open element, or nil at its end (which closes it).
    public func next() throws(RMLError) -> Item? {
        guard !open.isEmpty else { return nil }
        guard let node = try reader.next() else {
            throw RMLError("the document ends inside <\(open.last!)>", at: story.location)
        }
        switch node {
        case .start(let e, let empty):
            return .element(e, isEmpty: empty)
        case .text(let t):
            return .text(t)
        case .end:
            open.removeLast()
            return nil
        }
    }

    /// The whole child element whose start tag `next` returned, checked against the schema.
    public func finish(_ start: RMLElement, isEmpty: Bool) throws(RMLError) -> RMLElement {
        let e = try reader.finish(start, isEmpty: isEmpty)
        try RMLDocument.validate(e, parentName: open.last, diagnostics: diagnostics)
        return e
    }

    /// Opens the child element whose start tag `next` returned: `next` then gives its children.
    /// Its attributes are checked against the schema.
    public func enter(_ start: RMLElement) throws(RMLError) {
        try RMLDocument.validate(start, parentName: open.last, diagnostics: diagnostics)
        open.append(start.name)
    }

    /// Leaves the innermost open element, skipping its remaining children.
    public func leave() throws(RMLError) {
        while let item = try next() {
            if case .element(_, let empty) = item, !empty { try reader.skipElement() }
        }
    }
}
