import Foundation

/// Where rendered bytes go: a file, a socket, a buffer. Written to as each page is finished.
public protocol OutputSink: AnyObject {
    /// Writes bytes; returns false when the destination failed (the render then stops with an error).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool
}

/// Collects output in memory.
public final class BufferSink: OutputSink {
    public private(set) var data = Data()
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        data.append(contentsOf: bytes)
        return true
    }
}

/// Writes to a temporary file beside the destination and moves it into place only on `commit()`,
/// so a failed render never leaves a half-written file under the requested name.
///
/// A destination that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is
/// written to directly: renaming over it would replace the device with a file.
public final class AtomicFileSink: OutputSink {
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private let direct: Bool
    private var failed = false
    private var done = false

    public init(path: String) throws {
        self.path = path
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR {
            guard let h = FileHandle(forWritingAtPath: path) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            handle = h
            direct = true
            temporaryPath = path
            return
        }
        direct = false
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        temporaryPath = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".\(base).\(getpid()).part")
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = h
    }

    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if failed { return false }
        do { try handle.write(contentsOf: bytes) } catch { failed = true }
        return !failed
    }

    /// Moves the finished file into place.
    public func commit() throws {
        try handle.close()
        done = true
        if failed { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        if direct { return }
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
    }

    /// Drops the partial file.
    public func discard() {
        if !done { try? handle.close(); done = true }
        if direct { return }
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    deinit { if !done { discard() } }
}

/// Writes straight to standard output.
public final class StandardOutputSink: OutputSink {
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do { try FileHandle.standardOutput.write(contentsOf: bytes) } catch { return false }
        return true
    }
}
