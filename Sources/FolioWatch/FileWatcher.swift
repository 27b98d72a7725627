import Foundation

/// Notices changes to files by polling their size and modification time: portable, needs no
/// platform API, and cheap for the few thousand files of a report package. Hidden entries and
/// build folders are skipped.
public struct FileWatcher: Sendable {
    public struct Stamp: Sendable, Equatable {
        var size: Int64
        var modified: Double
    }

    public let folders: [String]
    public let files: [String]
    /// The most files looked at per snapshot (bounds the cost of watching a huge folder).
    public var limit = 5_000

    public init(folders: [String], files: [String]) {
        self.folders = folders
        self.files = files
    }

    /// Path → stamp of every watched file now (missing files are absent).
    public func snapshot() -> [String: Stamp] {
        var out: [String: Stamp] = [:]
        func add(_ path: String) {
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
            out[path] = Stamp(size: Int64(st.st_size), modified: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        }
        for f in files { add(f) }
        let fm = FileManager.default
        for folder in folders {
            guard let e = fm.enumerator(atPath: folder) else { continue }
            while let rel = e.nextObject() as? String {
                if out.count >= limit { return out }
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") || name == "out" || name.hasPrefix(".build") {
                    e.skipDescendants()
                    continue
                }
                add(folder + "/" + rel)
            }
        }
        return out
    }

    /// The paths that differ between two snapshots (changed, added or removed), sorted.
    public static func changes(from old: [String: Stamp], to new: [String: Stamp]) -> [String] {
        var changed = Set<String>()
        for (k, v) in new where old[k] != v { changed.insert(k) }
        for k in old.keys where new[k] == nil { changed.insert(k) }
        return changed.sorted()
    }
}
