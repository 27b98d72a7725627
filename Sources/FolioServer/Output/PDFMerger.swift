import Foundation

/// Concatenates PDFs into one, page order kept: the batch output of many renders.
///
/// Reads PDFs with a classic cross-reference table (what Folio's Cairo writes): every object is
/// copied with its number shifted past the previous documents' objects, references inside
/// dictionaries and arrays rewritten (strings, comments and stream data left as they are), each
/// document's page tree hung under one new root, and a new catalog written. Stream data is
/// copied byte for byte, so fonts and images stay as rendered.
public enum PDFMerger {
    /// A PDF the merger cannot read.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Merges `documents` (at least one) into one PDF.
    public static func merge(_ documents: [Data]) throws(Unreadable) -> Data {
        guard !documents.isEmpty else { throw Unreadable(description: "nothing to merge") }
        let parsed = try documents.enumerated().map { (i, d) throws(Unreadable) -> ParsedPDF in
            do { return try ParsedPDF(Array(d)) } catch { throw Unreadable(description: "document \(i + 1): \(error)") }
        }
        var out: [UInt8] = Array("%PDF-1.5\n%\u{00B5}\u{00ED}\u{00AE}\u{00FB}\n".utf8)
        var offsets: [Int] = [0]  // index = object number
        var base = 0
        let total = parsed.reduce(0) { $0 + $1.maxObject }
        let pagesRoot = total + 1, catalog = total + 2, info = total + 3
        var kids: [Int] = []
        var pageCount = 0
        for doc in parsed {
            for n in 1...max(doc.maxObject, 1) where n <= doc.maxObject {
                offsets.append(out.count)
                let number = base + n
                out += Array("\(number) 0 obj\n".utf8)
                if n == doc.root || n == doc.info || doc.objects[n] == nil {
                    out += Array("null\n".utf8)
                } else if let object = doc.objects[n] {
                    var dict = object.rewritten(base: base)
                    if n == doc.pages {
                        guard let open = indexOf(Array("<<".utf8), in: dict) else {
                            throw Unreadable(description: "the page tree root is not a dictionary")
                        }
                        dict.insert(contentsOf: Array(" /Parent \(pagesRoot) 0 R ".utf8), at: open + 2)
                    }
                    out += dict
                    if let stream = object.stream {
                        out += Array("stream\n".utf8)
                        out += stream
                        out += Array("\nendstream\n".utf8)
                    } else if dict.last != 0x0A {
                        out.append(0x0A)
                    }
                }
                out += Array("endobj\n".utf8)
            }
            kids.append(base + doc.pages)
            pageCount += doc.pageCount
            base += doc.maxObject
        }
        func object(_ n: Int, _ body: String) {
            offsets.append(out.count)
            out += Array("\(n) 0 obj\n\(body)\nendobj\n".utf8)
        }
        object(pagesRoot, "<< /Type /Pages /Kids [ \(kids.map { "\($0) 0 R" }.joined(separator: " ")) ] /Count \(pageCount) >>")
        object(catalog, "<< /Type /Catalog /Pages \(pagesRoot) 0 R >>")
        object(info, "<< /Producer (Folio) >>")
        let xref = out.count
        out += Array("xref\n0 \(offsets.count)\n0000000000 65535 f \n".utf8)
        for o in offsets.dropFirst() { out += Array(String(format: "%010d 00000 n \n", o).utf8) }
        out += Array("trailer\n<< /Size \(offsets.count) /Root \(catalog) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return Data(out)
    }

    static func indexOf(_ needle: [UInt8], in hay: [UInt8], from: Int = 0) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func lastIndexOf(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
            i -= 1
        }
        return nil
    }
}

/// One token of PDF syntax, as a range of the source.
struct PDFToken {
    enum Kind { case integer, real, name, keyword, string, open, close }
    var kind: Kind
    var range: Range<Int>
}

/// Splits PDF object syntax into tokens (comments and whitespace dropped).
struct PDFLexer {
    let bytes: [UInt8]
    var position: Int

    static func isWhite(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0 }
    static func isDelimiter(_ b: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(b) }

    mutating func next() -> PDFToken? {
        while position < bytes.count {
            let b = bytes[position]
            if Self.isWhite(b) { position += 1; continue }
            if b == UInt8(ascii: "%") {
                while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
                continue
            }
            break
        }
        guard position < bytes.count else { return nil }
        let start = position
        let b = bytes[position]
        switch b {
        case UInt8(ascii: "("):
            var depth = 0
            while position < bytes.count {
                let c = bytes[position]
                if c == UInt8(ascii: "\\") { position += 2; continue }
                if c == UInt8(ascii: "(") { depth += 1 }
                if c == UInt8(ascii: ")") { depth -= 1; if depth == 0 { position += 1; break } }
                position += 1
            }
            return PDFToken(kind: .string, range: start..<min(position, bytes.count))
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                return PDFToken(kind: .open, range: start..<position)
            }
            while position < bytes.count && bytes[position] != UInt8(ascii: ">") { position += 1 }
            position = min(position + 1, bytes.count)
            return PDFToken(kind: .string, range: start..<position)
        case UInt8(ascii: ">"):
            position += (position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: ">")) ? 2 : 1
            return PDFToken(kind: .close, range: start..<position)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            position += 1
            return PDFToken(kind: .open, range: start..<position)
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            position += 1
            return PDFToken(kind: .close, range: start..<position)
        case UInt8(ascii: "/"):
            position += 1
            while position < bytes.count && !Self.isWhite(bytes[position]) && !Self.isDelimiter(bytes[position]) { position += 1 }
            return PDFToken(kind: .name, range: start..<position)
        default:
            position += 1
            while position < bytes.count && !Self.isWhite(bytes[position]) && !Self.isDelimiter(bytes[position]) { position += 1 }
            let text = bytes[start..<position]
            let numeric = text.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ".") }
            if numeric { return PDFToken(kind: text.contains(UInt8(ascii: ".")) ? .real : .integer, range: start..<position) }
            return PDFToken(kind: .keyword, range: start..<position)
        }
    }
}

/// A PDF read through its cross-reference table.
struct ParsedPDF {
    /// An object's non-stream part (as source bytes, with where its references are) and its
    /// stream data.
    struct Object {
        var source: [UInt8]
        /// Ranges (in `source`) of the object numbers of `n g R` references.
        var references: [(Range<Int>, Int)]
        var stream: [UInt8]?

        func rewritten(base: Int) -> [UInt8] {
            var out: [UInt8] = []
            var last = 0
            for (range, n) in references {
                out += source[last..<range.lowerBound]
                out += Array("\(n + base)".utf8)
                last = range.upperBound
            }
            out += source[last...]
            return out
        }
    }

    var objects: [Int: Object] = [:]
    var maxObject = 0
    var root = 0
    var info: Int?
    var pages = 0
    var pageCount = 0

    init(_ bytes: [UInt8]) throws(PDFMerger.Unreadable) {
        func fail(_ m: String) -> PDFMerger.Unreadable { PDFMerger.Unreadable(description: m) }
        guard let sx = PDFMerger.lastIndexOf(Array("startxref".utf8), in: bytes) else { throw fail("no startxref") }
        var lex = PDFLexer(bytes: bytes, position: sx + 9)
        guard let t = lex.next(), t.kind == .integer, let xref = Int(Self.text(bytes, t)), xref < bytes.count else {
            throw fail("bad startxref")
        }
        lex = PDFLexer(bytes: bytes, position: xref)
        guard let kw = lex.next(), Self.text(bytes, kw) == "xref" else {
            throw fail("cross-reference streams are not supported (only classic xref tables)")
        }
        var offsets: [Int: Int] = [:]
        var trailerStart = 0
        while let t = lex.next() {
            let s = Self.text(bytes, t)
            if s == "trailer" { trailerStart = lex.position; break }
            guard let first = Int(s), let ct = lex.next(), let count = Int(Self.text(bytes, ct)) else { throw fail("bad xref subsection") }
            for i in 0..<count {
                guard let o = lex.next(), let _ = lex.next(), let f = lex.next() else { throw fail("truncated xref") }
                if Self.text(bytes, f) == "n", let off = Int(Self.text(bytes, o)) { offsets[first + i] = off }
            }
        }
        guard trailerStart > 0 else { throw fail("no trailer") }
        let trailer = try Self.parseObjectBody(bytes, from: trailerStart, stopAtClose: true, lengths: { _ in nil })
        guard let r = trailer.value(after: "/Root", in: bytes) else { throw fail("no /Root") }
        root = r
        info = trailer.value(after: "/Info", in: bytes)
        // Lengths of streams may be indirect objects: read plain objects first.
        var plain: [Int: [UInt8]] = [:]
        for (n, off) in offsets {
            var l = PDFLexer(bytes: bytes, position: off)
            _ = l.next(); _ = l.next(); _ = l.next()  // n g obj
            if let v = l.next(), v.kind == .integer, let end = l.next(), Self.text(bytes, end) == "endobj" {
                plain[n] = Array(bytes[v.range])
            }
        }
        for (n, off) in offsets {
            var l = PDFLexer(bytes: bytes, position: off)
            guard let a = l.next(), Int(Self.text(bytes, a)) == n, let _ = l.next(), let o = l.next(), Self.text(bytes, o) == "obj" else {
                throw fail("object \(n) is not at its xref offset")
            }
            let body = try Self.parseObjectBody(bytes, from: l.position) { ref in plain[ref].flatMap { Int(String(decoding: $0, as: UTF8.self)) } }
            objects[n] = body.object
            maxObject = max(maxObject, n)
        }
        guard let catalog = objects[root], let p = catalog.value(after: "/Pages", in: catalog.source, local: true) else {
            throw fail("no page tree")
        }
        pages = p
        guard let tree = objects[pages], let count = tree.integer(after: "/Count") else { throw fail("page tree without /Count") }
        pageCount = count
    }

    static func text(_ bytes: [UInt8], _ t: PDFToken) -> String { String(decoding: bytes[t.range], as: UTF8.self) }

    struct Body {
        var object: Object
        var tokens: [PDFToken]
        var start: Int

        func value(after name: String, in bytes: [UInt8]) -> Int? {
            object.value(after: name, in: object.source, local: true)
        }
    }

    /// Reads an object's body from `from` up to `endobj` (or the end of the trailer dictionary).
    static func parseObjectBody(_ bytes: [UInt8], from: Int, stopAtClose: Bool = false, lengths: (Int) -> Int?) throws(PDFMerger.Unreadable) -> Body {
        var lex = PDFLexer(bytes: bytes, position: from)
        var tokens: [PDFToken] = []
        var depth = 0
        var end = from
        var stream: [UInt8]?
        while let t = lex.next() {
            let s = t.kind == .keyword ? text(bytes, t) : ""
            if s == "endobj" || s == "startxref" { end = t.range.lowerBound; break }
            if s == "stream" {
                end = t.range.lowerBound
                var p = t.range.upperBound
                if p < bytes.count && bytes[p] == 0x0D { p += 1 }
                if p < bytes.count && bytes[p] == 0x0A { p += 1 }
                // /Length: direct, or an indirect reference.
                var length: Int?
                for (i, tok) in tokens.enumerated() where tok.kind == .name && text(bytes, tok) == "/Length" && i + 1 < tokens.count {
                    if i + 3 < tokens.count && tokens[i + 3].kind == .keyword && text(bytes, tokens[i + 3]) == "R" {
                        length = Int(text(bytes, tokens[i + 1])).flatMap(lengths)
                    } else {
                        length = Int(text(bytes, tokens[i + 1]))
                    }
                }
                guard let length, p + length <= bytes.count else {
                    throw PDFMerger.Unreadable(description: "stream without a readable /Length")
                }
                stream = Array(bytes[p..<p + length])
                break
            }
            if t.kind == .open { depth += 1 }
            if t.kind == .close { depth -= 1 }
            tokens.append(t)
            end = t.range.upperBound
            if stopAtClose && depth == 0 && t.kind == .close { break }
        }
        let source = Array(bytes[from..<end])
        var references: [(Range<Int>, Int)] = []
        if tokens.count >= 3 {
            for i in 2..<tokens.count where tokens[i].kind == .keyword && text(bytes, tokens[i]) == "R"
                && tokens[i - 1].kind == .integer && tokens[i - 2].kind == .integer {
                if let n = Int(text(bytes, tokens[i - 2])) {
                    let r = tokens[i - 2].range
                    references.append(((r.lowerBound - from)..<(r.upperBound - from), n))
                }
            }
        }
        return Body(object: Object(source: source, references: references, stream: stream), tokens: tokens, start: from)
    }
}

extension ParsedPDF.Object {
    /// The object number referenced right after a name (`/Pages 1 0 R`).
    func value(after name: String, in bytes: [UInt8], local: Bool) -> Int? {
        var lex = PDFLexer(bytes: source, position: 0)
        var previous: PDFToken?
        while let t = lex.next() {
            if let p = previous, p.kind == .name, String(decoding: source[p.range], as: UTF8.self) == name, t.kind == .integer {
                return Int(String(decoding: source[t.range], as: UTF8.self))
            }
            previous = t
        }
        return nil
    }

    /// The integer right after a name (`/Count 3`).
    func integer(after name: String) -> Int? { value(after: name, in: source, local: true) }
}
