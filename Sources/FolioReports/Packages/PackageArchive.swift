import Foundation

/// The package archive format: a POSIX **ustar** tar file (uncompressed), written and read in
/// pure Swift.
///
/// - Every entry lives under one top folder named after the package: `base/`,
///   `base/folio-package.yaml`, `base/xsl/custom_table.xsl`, … The manifest comes first, then the
///   other entries sorted by path; folders have their own entries (type `5`).
/// - Only regular files (type `0`) and folders (type `5`) are allowed; links, devices, FIFOs,
///   pax (`x`, `g`) and GNU long-name (`L`, `K`) headers are refused.
/// - Paths are UTF-8, split into ustar's `prefix` (155 bytes) and `name` (100 bytes) fields when
///   longer than 100 bytes; they must be relative, use `/`, and have no empty, `.` or `..`
///   component (checked when reading, before anything is written to disk).
/// - Written with mode 0644 (files) / 0755 (folders), uid/gid 0, owner names empty and mtime 0,
///   so the same folder always packs to the same bytes; the archive ends with two zero blocks.
/// - Header checksums are verified when reading. Limits: 10,000 entries, 256 MiB of content.
///
/// Any tar tool can list or extract these archives (`tar tf base.tar`).
public enum PackageArchive {
    public struct Entry: Sendable, Equatable {
        /// Path inside the archive, without a trailing `/`.
        public var path: String
        public var isDirectory: Bool
        public var data: Data
        public init(path: String, isDirectory: Bool, data: Data = Data()) {
            self.path = path; self.isDirectory = isDirectory; self.data = data
        }
    }

    public static let maxEntries = 10_000
    public static let maxTotalSize = 256 << 20

    // MARK: writing

    /// Serializes entries as a ustar archive.
    public static func write(_ entries: [Entry]) throws(ReportError) -> Data {
        var out = Data()
        for e in entries {
            if let p = PackageManifest.pathProblem(e.path) {
                throw ReportError(.package, "cannot archive '\(e.path)': \(p)")
            }
            out.append(try header(for: e))
            if !e.isDirectory {
                out.append(e.data)
                let pad = (512 - e.data.count % 512) % 512
                out.append(Data(count: pad))
            }
        }
        out.append(Data(count: 1024))
        return out
    }

    private static func header(for e: Entry) throws(ReportError) -> Data {
        var h = [UInt8](repeating: 0, count: 512)
        let fullPath = e.path + (e.isDirectory ? "/" : "")
        let bytes = Array(fullPath.utf8)
        var name = bytes, prefix: [UInt8] = []
        if bytes.count > 100 {
            // Split at a '/' so that the prefix fits 155 bytes and the rest 100.
            var split: Int?
            for i in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[i] == UInt8(ascii: "/") {
                if bytes.count - i - 1 <= 100 && bytes.count - i - 1 > 0 { split = i; break }
            }
            guard let s = split else {
                throw ReportError(.package, "cannot archive '\(e.path)': the path is too long for a ustar archive")
            }
            prefix = Array(bytes[..<s])
            name = Array(bytes[(s + 1)...])
        }
        func put(_ field: [UInt8], at offset: Int) {
            for (i, b) in field.enumerated() { h[offset + i] = b }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let s = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - s.count)) + s).utf8) + [0]
        }
        if e.data.count > 0o77777777777 {
            throw ReportError(.package, "cannot archive '\(e.path)': the file is too large")
        }
        put(name, at: 0)
        put(octal(e.isDirectory ? 0o755 : 0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(e.isDirectory ? 0 : e.data.count, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put(Array("        ".utf8), at: 148)
        h[156] = e.isDirectory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let sum = h.reduce(0) { $0 + Int($1) }
        let s = String(sum, radix: 8)
        put(Array((String(repeating: "0", count: max(0, 6 - s.count)) + s).utf8) + [0, UInt8(ascii: " ")], at: 148)
        return Data(h)
    }

    // MARK: reading

    /// Parses a ustar archive, refusing anything that is not a plain file or folder with a safe
    /// relative path. `label` names the archive in errors.
    public static func read(_ data: Data, label: String) throws(ReportError) -> [Entry] {
        let bytes = [UInt8](data)
        var entries: [Entry] = []
        var seen = Set<String>()
        var total = 0
        var offset = 0
        func fail(_ message: String) -> ReportError { ReportError(.package, "\(label): \(message)") }
        while true {
            guard offset + 512 <= bytes.count else {
                throw fail("truncated archive (no end-of-archive marker)")
            }
            let h = bytes[offset..<(offset + 512)]
            if h.allSatisfy({ $0 == 0 }) { break }
            func field(_ start: Int, _ length: Int) -> ArraySlice<UInt8> {
                let s = h.index(h.startIndex, offsetBy: start)
                return h[s..<(s + length)]
            }
            func string(_ start: Int, _ length: Int) -> String? {
                let f = field(start, length)
                let end = f.firstIndex(of: 0) ?? f.endIndex
                return String(bytes: f[f.startIndex..<end], encoding: .utf8)
            }
            func number(_ start: Int, _ length: Int) -> Int? {
                let f = field(start, length)
                if let first = f.first, first & 0x80 != 0 { return nil } // base-256: far too large for us
                let text = String(decoding: f.prefix(while: { $0 != 0 && $0 != 0x20 }).drop(while: { $0 == 0x20 }), as: UTF8.self)
                return text.isEmpty ? 0 : Int(text, radix: 8)
            }
            let magic = field(257, 5)
            guard Array(magic) == Array("ustar".utf8) else {
                throw fail("entry at byte \(offset) is not a ustar header (not a package archive)")
            }
            var unsigned = 0, signed = 0
            for (i, b) in h.enumerated() {
                let v = (148..<156).contains(i) ? 0x20 : b
                unsigned += Int(v); signed += Int(Int8(bitPattern: v))
            }
            guard let stored = number(148, 8), stored == unsigned || stored == signed else {
                throw fail("bad header checksum at byte \(offset) (corrupted archive)")
            }
            guard let rawName = string(0, 100), let rawPrefix = string(345, 155) else {
                throw fail("entry at byte \(offset) has a name that is not UTF-8")
            }
            var path = rawPrefix.isEmpty ? rawName : rawPrefix + "/" + rawName
            guard let size = number(124, 12) else { throw fail("entry '\(path)' has an invalid size") }
            let type = h[h.startIndex + 156]
            let isDir: Bool
            switch type {
            case UInt8(ascii: "0"), 0: isDir = false
            case UInt8(ascii: "5"): isDir = true
            case UInt8(ascii: "1"): throw fail("entry '\(path)' is a hard link; package archives hold only files and folders")
            case UInt8(ascii: "2"): throw fail("entry '\(path)' is a symbolic link; package archives hold only files and folders")
            case UInt8(ascii: "x"), UInt8(ascii: "g"): throw fail("entry '\(path)' is a pax extended header, which is not supported")
            case UInt8(ascii: "L"), UInt8(ascii: "K"): throw fail("entry at byte \(offset) uses a GNU long name, which is not supported")
            default: throw fail("entry '\(path)' has unsupported type '\(Character(UnicodeScalar(type)))'")
            }
            if isDir, path.hasSuffix("/") { path.removeLast() }
            if let p = PackageManifest.pathProblem(path) { throw fail("unsafe path in archive: \(p)") }
            guard seen.insert(path).inserted else { throw fail("entry '\(path)' appears twice") }
            let dataStart = offset + 512
            let dataSize = isDir ? 0 : size
            guard dataStart + dataSize <= bytes.count else { throw fail("entry '\(path)' is truncated") }
            total += dataSize
            guard total <= maxTotalSize else { throw fail("content larger than \(maxTotalSize >> 20) MiB") }
            entries.append(Entry(path: path, isDirectory: isDir, data: isDir ? Data() : Data(bytes[dataStart..<(dataStart + dataSize)])))
            guard entries.count <= maxEntries else { throw fail("more than \(maxEntries) entries") }
            offset = dataStart + (dataSize + 511) / 512 * 512
        }
        return entries
    }
}
