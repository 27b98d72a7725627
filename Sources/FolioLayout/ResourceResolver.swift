import Foundation

/// Finds the files a document refers to (images, fonts) through one set of rules: prefix mappings
/// first (`[z3c.rml.tests]/x.png` with `[z3c.rml.tests]` → a folder), then the document's folder,
/// then the search paths in order.
public struct ResourceResolver: Sendable {
    /// Folder of the document being rendered; relative references start here.
    public var baseDirectory: String
    /// Extra folders searched for relative names and bare file names.
    public var searchPaths: [String]
    /// Prefix → folder replacements.
    public var mappings: [(prefix: String, directory: String)]

    public init(baseDirectory: String, searchPaths: [String] = [], mappings: [(prefix: String, directory: String)] = []) {
        self.baseDirectory = baseDirectory
        self.searchPaths = searchPaths
        self.mappings = mappings
    }

    /// The path of an existing file for a reference, or nil.
    public func resolve(_ reference: String) -> String? {
        let ref = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.isEmpty { return nil }
        var candidates: [String] = []
        for (prefix, dir) in mappings where ref.hasPrefix(prefix) {
            var rest = String(ref.dropFirst(prefix.count))
            while rest.hasPrefix("/") { rest.removeFirst() }
            candidates.append((dir as NSString).appendingPathComponent(rest))
        }
        var plain = ref
        if plain.hasPrefix("file://") { plain = String(plain.dropFirst(7)) }
        if plain.hasPrefix("/") {
            candidates.append(plain)
        } else {
            candidates.append((baseDirectory as NSString).appendingPathComponent(plain))
            for dir in searchPaths {
                candidates.append((dir as NSString).appendingPathComponent(plain))
                candidates.append((dir as NSString).appendingPathComponent((plain as NSString).lastPathComponent))
            }
        }
        var isDir: ObjCBool = false
        for c in candidates where FileManager.default.fileExists(atPath: c, isDirectory: &isDir) && !isDir.boolValue {
            return c
        }
        return nil
    }

    /// Reads the bytes of a reference: a file, or an RFC 2397 `data:` URI.
    public func load(_ reference: String) -> [UInt8]? {
        let ref = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.hasPrefix("data:"), let comma = ref.firstIndex(of: ",") {
            let header = ref[ref.startIndex..<comma]
            let body = String(ref[ref.index(after: comma)...])
            if header.hasSuffix(";base64") {
                return Data(base64Encoded: body, options: .ignoreUnknownCharacters).map { [UInt8]($0) }
            }
            return body.removingPercentEncoding.map { Array($0.utf8) }
        }
        guard let path = resolve(ref), let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }
}
