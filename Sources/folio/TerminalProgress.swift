import Foundation

/// A one-line progress display for long renders — pages done, rate, and time left when the
/// total is known — on stderr when it is a terminal; silent otherwise (pipes, CI logs).
final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// A progress display if stderr is a terminal, else nil.
    static func forStandardError() -> TerminalProgress? {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? TerminalProgress() : nil
    }

    func update(pages: Int, total: Int?) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        // Quiet for short renders; then at most five updates a second.
        guard now.timeIntervalSince(start) > 0.5, now.timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = now
        let seconds = now.timeIntervalSince(start)
        let rate = Double(pages) / max(seconds, 0.001)
        var line = "\(pages)\(total.map { " of \($0)" } ?? "") pages · \(String(format: "%.0f", rate)) pages/s"
        if let total, rate > 0, total > pages {
            line += " · about \(String(format: "%.0f", Double(total - pages) / rate + 0.5)) s left"
        }
        FileHandle.standardError.write(("\r\u{1B}[2K" + line).data(using: .utf8)!)
        drawn = true
    }

    /// Clears the line before the final messages.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write("\r\u{1B}[2K".data(using: .utf8)!) }
        drawn = false
    }
}
