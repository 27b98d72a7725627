import FolioRML
import Foundation

/// Where the elements of generated RML came from: for each element, in document order, the line of
/// the stylesheet's literal result element that wrote it.
///
/// libxslt copies a literal result element's line onto the element it adds to the result, but not
/// its file; the file is found among the stylesheet and its imports as the one whose line holds a
/// start tag of that name. Elements made by `xsl:element` or `xsl:copy` have no line (0).
///
/// Used to add "written by picking.xsl:42" to errors and warnings found in generated RML.
public struct GeneratedRMLOrigins: Sendable {
    /// Stylesheet line per result element, in document order (0: unknown).
    public let lines: [UInt32]
    /// The stylesheet and every file it imports or includes.
    public let stylesheetFiles: [String]

    public init(lines: [UInt32], stylesheetFiles: [String]) {
        self.lines = lines
        self.stylesheetFiles = stylesheetFiles
    }

    /// The stylesheet place that wrote the element at or enclosing `location` in `rml`, the
    /// serialized result these origins were recorded for.
    public func origin(of location: SourceLocation, in rml: Data) -> SourceLocation? {
        var places: [String: SourceLocation?] = [:]
        return origin(of: location, starts: Self.elementStarts(rml), places: &places)
    }

    /// `places` remembers stylesheet places by line and element, so that many diagnostics from
    /// one template read the stylesheet files once.
    private func origin(of location: SourceLocation, starts: [ElementStart], places: inout [String: SourceLocation?]) -> SourceLocation? {
        // The last element starting at or before the location (starts are in document order).
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (starts[mid].line, starts[mid].column) <= (location.line, location.column) { lo = mid + 1 } else { hi = mid }
        }
        let index = lo - 1
        guard index >= 0, index < lines.count, lines[index] > 0 else { return nil }
        let key = "\(lines[index]) \(starts[index].name)"
        if let known = places[key] { return known }
        let place = stylesheetPlace(line: Int(lines[index]), element: starts[index].name)
        places[key] = place
        return place
    }

    /// Adds "(written by FILE:LINE)" to diagnostics located in the generated RML named `rmlName`.
    public func annotate(_ diagnostics: [Diagnostic], rmlName: String, rml: Data) -> [Diagnostic] {
        guard diagnostics.contains(where: { $0.location?.file == rmlName }) else { return diagnostics }
        let starts = Self.elementStarts(rml)  // once for all diagnostics
        var places: [String: SourceLocation?] = [:]
        return diagnostics.map { d in
            guard let loc = d.location, loc.file == rmlName, let origin = origin(of: loc, starts: starts, places: &places) else { return d }
            var out = d
            out.message += " (written by \(origin.file):\(origin.line))"
            return out
        }
    }

    /// The stylesheet file and line (column 1 or the tag's column) of a literal `<element` start
    /// tag ending on or near `line`; the first stylesheet file if no file has such a tag there.
    func stylesheetPlace(line: Int, element: String) -> SourceLocation? {
        let local = element.split(separator: ":").last.map(String.init) ?? element
        for file in stylesheetFiles {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard line <= fileLines.count else { continue }
            // libxml2 records the line where the start tag ends; it may begin a few lines earlier.
            for l in stride(from: line, through: max(1, line - 8), by: -1) {
                let lineText = fileLines[l - 1]
                if let r = lineText.range(of: "<" + local, options: []) ?? lineText.range(of: ":" + local) {
                    let after = lineText[r.upperBound...].first
                    if after == nil || after == " " || after == ">" || after == "/" || after == "\t" || after == "\r" {
                        let column = lineText.distance(from: lineText.startIndex, to: r.lowerBound) + 1
                        return SourceLocation(file: file, line: l, column: column)
                    }
                }
            }
        }
        return stylesheetFiles.first.map { SourceLocation(file: $0, line: line, column: 1) }
    }

    struct ElementStart { var name: String; var line: Int; var column: Int }

    /// Start tags of `xml` in document order with their line and column (in characters), skipping
    /// comments, CDATA sections, processing instructions and the document type declaration.
    static func elementStarts(_ xml: Data) -> [ElementStart] {
        let b = [UInt8](xml)
        var out: [ElementStart] = []
        var line = 1, column = 1
        var i = 0
        func advance(to end: Int) {
            while i < end && i < b.count {
                if b[i] == 0x0A { line += 1; column = 1 } else if b[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        func skip(past marker: [UInt8]) {
            var j = i
            while j + marker.count <= b.count {
                if Array(b[j..<j + marker.count]) == marker { advance(to: j + marker.count); return }
                j += 1
            }
            advance(to: b.count)
        }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<"), i + 1 < b.count else { advance(to: i + 1); continue }
            let next = b[i + 1]
            if next == UInt8(ascii: "!") {
                if b[i...].starts(with: Array("<!--".utf8)) { skip(past: Array("-->".utf8)) }
                else if b[i...].starts(with: Array("<![CDATA[".utf8)) { skip(past: Array("]]>".utf8)) }
                else { skip(past: Array(">".utf8)) }
            } else if next == UInt8(ascii: "?") {
                skip(past: Array("?>".utf8))
            } else if next == UInt8(ascii: "/") {
                advance(to: i + 2)
            } else {
                var j = i + 1
                while j < b.count, !(b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x09 || b[j] == 0x0D || b[j] == UInt8(ascii: ">") || b[j] == UInt8(ascii: "/")) { j += 1 }
                let name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
                out.append(ElementStart(name: name, line: line, column: column))
                advance(to: j)
            }
        }
        return out
    }
}
