import Foundation

/// Parses RML source into an `RMLDocument`.
///
/// Uses libxml2's streaming reader, so the source is read once and every element records the file,
/// line and column of its start tag. External entities and network access are refused.
public struct RMLParser: Sendable {
    /// The label used for locations (usually the path the user passed).
    public var fileName: String

    public init(fileName: String) {
        self.fileName = fileName
    }

    /// Parses a file from disk.
    public static func parse(contentsOf path: String, diagnostics: DiagnosticSink) throws(RMLError) -> RMLDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RMLError("cannot read file '\(path)'", at: nil)
        }
        return try RMLParser(fileName: path).parse(data, diagnostics: diagnostics)
    }

    /// Parses RML held in memory.
    public func parse(_ data: Data, diagnostics: DiagnosticSink) throws(RMLError) -> RMLDocument {
        try parse(RMLSource(data: data, name: fileName), diagnostics: diagnostics)
    }

    /// Parses RML from a source. With `streamingStory`, only the parts before `<story>` are read
    /// now; the story is read from the source as the layout asks for it (at each pass), so a long
    /// document is never held whole. `countingPass` tells whether the document needs a pass that
    /// counts pages (nil: found by looking for `pageCount` and `getName` in the source).
    public func parse(_ source: RMLSource, streamingStory: Bool = false, countingPass: Bool? = nil,
                      diagnostics: DiagnosticSink) throws(RMLError) -> RMLDocument {
        let reader = try RMLPullReader(source)
        var rootStart: (RMLElement, Bool)?
        while let node = try reader.next() {
            if case .start(let e, let empty) = node { rootStart = (e, empty); break }
        }
        guard let (rootTag, rootEmpty) = rootStart else {
            throw RMLError("the document is empty", at: SourceLocation(file: fileName, line: 1, column: 1))
        }
        if !streamingStory || rootEmpty || rootTag.name != "document" {
            let root = try reader.finish(rootTag, isEmpty: rootEmpty)
            while try reader.next() != nil {}   // what follows the root: only errors matter
            return try RMLDocument(root: root, diagnostics: diagnostics)
        }
        var root = rootTag
        var streamed = false
        while let node = try reader.next() {
            switch node {
            case .start(let e, let empty):
                if e.name == "story" && !empty {
                    root.children.append(.element(e))
                    streamed = true
                } else {
                    root.children.append(.element(try reader.finish(e, isEmpty: empty)))
                }
            case .text(let t):
                root.children.append(.text(t))
            case .end:
                break
            }
            if streamed { break }
        }
        guard streamed else { return try RMLDocument(root: root, diagnostics: diagnostics) }
        var counting = false
        if let countingPass { counting = countingPass } else { counting = try source.contains(anyOf: ["pageCount", "getName"]) }
        return try RMLDocument(root: root, story: RMLStoryStream(source: source), needsCountingPass: counting,
                               diagnostics: diagnostics)
    }
}

