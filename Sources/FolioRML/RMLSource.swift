import Foundation
import Synchronization

/// RML bytes that can be read from the start as often as the layout needs (a document that prints
/// "Page X of Y" is read twice): held in memory, in a file, or in a spool that a producer (a
/// chunked XSLT transform) is still writing.
///
/// Large documents are read through `RMLPullReader` a piece at a time, so only the part being laid
/// out is ever held in memory.
public final class RMLSource: Sendable {
    /// Where the bytes are.
    public enum Storage: Sendable {
        case data(Data)
        case file(String)
        case spool(RMLSpool)
    }

    public let storage: Storage
    /// The label locations use (the path the user gave, or `<stylesheet> (generated RML)`).
    public let name: String

    public init(data: Data, name: String) {
        storage = .data(data)
        self.name = name
    }

    public init(file path: String, name: String? = nil) {
        storage = .file(path)
        self.name = name ?? path
    }

    public init(spool: RMLSpool, name: String) {
        storage = .spool(spool)
        self.name = name
    }

    /// Size in bytes (for a spool still being written: what is there so far).
    public var byteCount: Int {
        switch storage {
        case .data(let d): return d.count
        case .file(let p): return (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0
        case .spool(let s): return s.byteCount
        }
    }

    /// Tells a spool's producer that nobody will read what it writes (the render failed).
    public func cancel() {
        if case .spool(let s) = storage { s.cancel() }
    }

    /// Whether a producer may still add bytes.
    public var isComplete: Bool {
        if case .spool(let s) = storage { return s.isFinished }
        return true
    }

    /// The whole document in memory (for small consumers: `--format rml`, origins of errors).
    public func data() throws(RMLError) -> Data {
        switch storage {
        case .data(let d):
            return d
        case .file(let p):
            guard let d = FileManager.default.contents(atPath: p) else { throw RMLError("cannot read file '\(p)'", at: nil) }
            return d
        case .spool(let s):
            try s.waitUntilFinished()
            let reader = RMLByteReader(fd: -1, spool: s)
            var out = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
                if n < 0 { throw reader.failure ?? RMLError("cannot read the spooled RML", at: nil) }
                if n == 0 { return out }
                out.append(contentsOf: buffer[0..<n])
            }
        }
    }

    /// Opens a fresh sequential reader over the bytes.
    func openBytes() throws(RMLError) -> RMLByteReader {
        switch storage {
        case .data(let d): return RMLByteReader(data: d)
        case .file(let p):
            let fd = open(p, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw RMLError("cannot read file '\(p)'", at: nil) }
            return RMLByteReader(fd: fd, spool: nil)
        case .spool(let s):
            return RMLByteReader(fd: -1, spool: s)
        }
    }

    /// Whether any of the byte strings occurs in the source (read in pieces; waits for a spool
    /// to finish).
    public func contains(anyOf needles: [String]) throws(RMLError) -> Bool {
        let patterns = needles.map { Array($0.utf8) }
        let overlap = (patterns.map(\.count).max() ?? 1) - 1
        let reader = try openBytes()
        var carry: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
            if n < 0 { throw RMLError("cannot read '\(name)'", at: nil) }
            if n == 0 { return false }
            let piece = carry + buffer[0..<n]
            for p in patterns where Self.find(p, in: piece) { return true }
            carry = Array(piece.suffix(overlap))
        }
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Bool {
        guard let first = needle.first, hay.count >= needle.count else { return false }
        return hay.withUnsafeBufferPointer { h in
            var i = 0
            let last = h.count - needle.count
            while i <= last {
                // memchr for the first byte, then compare.
                guard let p = memchr(h.baseAddress! + i, Int32(first), last - i + 1) else { return false }
                let at = h.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if memcmp(h.baseAddress! + at, needle, needle.count) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}

/// A file a producer appends RML to while readers read it from the start; readers wait at the
/// end of what is written until more comes or the producer finishes. The file has no name (it is
/// unlinked as soon as it is created), so it goes away with the spool or the process, whatever
/// happens.
public final class RMLSpool: Sendable {
    private struct State { var written = 0; var finished = false; var failure: RMLError?; var cancelled = false }
    private let state = Mutex(State())
    private let changed = NSCondition()
    /// Read and written with `pread`/`pwrite`, so readers on other threads keep their own offsets.
    let fd: Int32

    /// Creates an empty spool file in `directory` (the temporary folder by default).
    public init(directory: String = NSTemporaryDirectory()) throws(RMLError) {
        let path = (directory as NSString).appendingPathComponent("folio-\(UUID().uuidString).rml")
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RMLError("cannot create a spool file in '\(directory)'", at: nil) }
        unlink(path)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends bytes (producer side); throws once the readers gave up (`cancel`).
    public func write(_ data: Data) throws(RMLError) {
        if state.withLock({ $0.cancelled }) { throw RMLError("the render reading this RML has stopped", at: nil) }
        var offset = state.withLock { $0.written }
        let ok = data.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset))
                if n <= 0 { return false }
                done += n
                offset += n
            }
            return true
        }
        guard ok else { throw RMLError("cannot write the spooled RML: \(String(cString: strerror(errno)))", at: nil) }
        changed.lock()
        state.withLock { $0.written += data.count }
        changed.broadcast()
        changed.unlock()
    }

    /// Marks the end (producer side); with a failure, readers stop with it.
    public func finish(failure: RMLError? = nil) {
        changed.lock()
        state.withLock { $0.finished = true; $0.failure = failure }
        changed.broadcast()
        changed.unlock()
    }

    /// The readers gave up: the producer's next write fails, so it stops early.
    public func cancel() { state.withLock { $0.cancelled = true } }

    public var byteCount: Int { state.withLock { $0.written } }
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Blocks until the producer is done; rethrows its failure.
    public func waitUntilFinished() throws(RMLError) {
        changed.lock()
        while !state.withLock({ $0.finished }) { changed.wait() }
        changed.unlock()
        if let f = state.withLock({ $0.failure }) { throw f }
    }

    /// Blocks until more than `offset` bytes are written or the producer is done; returns the bytes
    /// available and whether the producer is done.
    func waitForBytes(beyond offset: Int) -> (available: Int, finished: Bool, failure: RMLError?) {
        changed.lock()
        defer { changed.unlock() }
        while true {
            let s = state.withLock { $0 }
            if s.written > offset || s.finished { return (s.written, s.finished, s.failure) }
            changed.wait()
        }
    }
}

/// Sequential bytes of a source: from memory, a file, or a spool being written.
final class RMLByteReader {
    private let data: Data?
    private let fd: Int32
    private let spool: RMLSpool?
    private var offset = 0
    /// Set when a spool's producer failed.
    private(set) var failure: RMLError?

    init(data: Data) { self.data = data; fd = -1; spool = nil }
    init(fd: Int32, spool: RMLSpool?) { data = nil; self.fd = fd; self.spool = spool }
    deinit { if fd >= 0 { close(fd) } }

    /// Reads up to `buffer.count` bytes; 0 at the end, -1 on failure.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if let data {
            let n = min(buffer.count, data.count - offset)
            if n <= 0 { return 0 }
            data.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: (data.startIndex + offset)..<(data.startIndex + offset + n))
            offset += n
            return n
        }
        if let spool {
            let (available, finished, failure) = spool.waitForBytes(beyond: offset)
            if let failure { self.failure = failure; return -1 }
            if available <= offset && finished { return 0 }
            let n = pread(spool.fd, buffer.baseAddress, min(buffer.count, available - offset), off_t(offset))
            if n > 0 { offset += n }
            return n
        }
        let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
        if n > 0 { offset += n }
        return n
    }
}
