import FolioRender
import Foundation

/// The sink every service render writes to: it forwards the PDF bytes to a destination, counts
/// pages as Cairo emits them, and stops the render when it runs past its time or page limit.
///
/// Pages are counted from the page objects in the output (`<< /Type /Page %`, which Cairo writes
/// uncompressed once per page at `cairo_show_page`), so the count is known while streaming.
public final class GuardedSink: OutputSink {
    private let destination: (UnsafeRawBufferPointer) -> Bool
    private let deadline: Date
    private let maxPages: Int
    private let onPage: ((Int) -> Void)?
    private static let marker = Array("<< /Type /Page %".utf8)
    private var tail: [UInt8] = []

    /// Pages seen so far.
    public private(set) var pages = 0
    /// Bytes written so far.
    public private(set) var bytes = 0
    /// Set when the render was stopped by a limit.
    public private(set) var exceeded: ServiceError?
    /// Set when the destination refused bytes (client gone, disk full).
    public private(set) var destinationFailed = false

    public init(deadline: Date, maxPages: Int, onPage: ((Int) -> Void)? = nil,
                destination: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.deadline = deadline; self.maxPages = maxPages; self.onPage = onPage; self.destination = destination
    }

    public func write(_ buffer: UnsafeRawBufferPointer) -> Bool {
        if Date() > deadline {
            exceeded = ServiceError(.limit, "the render took longer than its time limit")
            return false
        }
        countPages(buffer)
        if pages > maxPages {
            exceeded = ServiceError(.limit, "the document has more than \(maxPages) pages, the limit of one render")
            return false
        }
        bytes += buffer.count
        guard destination(buffer) else { destinationFailed = true; return false }
        return true
    }

    private func countPages(_ buffer: UnsafeRawBufferPointer) {
        let m = Self.marker
        // Look at the end of the previous write too: a marker may straddle two writes.
        var window = tail
        window.append(contentsOf: buffer)
        var found = 0
        var i = 0
        let last = window.count - m.count
        while i <= last {
            if window[i] == m[0] {
                var j = 1
                while j < m.count && window[i + j] == m[j] { j += 1 }
                if j == m.count { found += 1; i += m.count; continue }
            }
            i += 1
        }
        tail = Array(window.suffix(m.count - 1))
        for _ in 0..<found {
            pages += 1
            onPage?(pages)
        }
    }
}
