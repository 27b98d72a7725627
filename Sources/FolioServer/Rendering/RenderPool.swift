import Foundation

/// A fixed number of render threads with a bounded waiting line.
///
/// Renders block (layout, Cairo, libpq), so they run on these threads, never on the event loop or
/// Swift's cooperative pool. `submit` refuses work when every thread is busy and the line is full:
/// the HTTP layer answers that with 429 and `Retry-After`.
public final class RenderPool: @unchecked Sendable {
    /// Why a submission was refused.
    public enum Refusal: Error, Sendable {
        /// Every slot is busy and the waiting line is full.
        case full
        /// The pool is shutting down.
        case closed
    }

    /// The line and the counters, shared with the threads: they hold this, not the pool, so a
    /// pool released while its threads run is never read after it is gone.
    private final class Line: @unchecked Sendable {
        let condition = NSCondition()
        var waiting: [@Sendable () -> Void] = []
        var running = 0
        var closed = false

        func loop() {
            while true {
                condition.lock()
                while waiting.isEmpty && !closed { condition.wait() }
                if waiting.isEmpty && closed { condition.broadcast(); condition.unlock(); return }
                let work = waiting.removeFirst()
                running += 1
                condition.unlock()
                work()
                condition.lock()
                running -= 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    private let line = Line()
    private var threads: [Thread] = []
    public let slots: Int
    public let queueLimit: Int

    /// Starts `slots` threads; at most `queueLimit` renders wait for one.
    public init(slots: Int, queueLimit: Int, name: String = "folio-render") {
        self.slots = max(1, slots)
        self.queueLimit = max(0, queueLimit)
        for i in 0..<self.slots {
            let line = self.line
            let thread = Thread { line.loop() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Lets the threads end once the work already queued is done.
    deinit {
        line.condition.lock()
        line.closed = true
        line.condition.broadcast()
        line.condition.unlock()
    }

    /// Renders waiting for a thread.
    public var queueDepth: Int { line.condition.lock(); defer { line.condition.unlock() }; return line.waiting.count }
    /// Renders running now.
    public var active: Int { line.condition.lock(); defer { line.condition.unlock() }; return line.running }

    /// Queues `work`, or refuses it when the line is full.
    public func submit(_ work: @escaping @Sendable () -> Void) throws(Refusal) {
        line.condition.lock()
        defer { line.condition.unlock() }
        if line.closed { throw .closed }
        if line.running + line.waiting.count >= slots + queueLimit { throw .full }
        line.waiting.append(work)
        line.condition.signal()
    }

    /// Runs `work` on a render thread and returns its result; waits for a slot instead of
    /// refusing (for job workers, which have their own bound).
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Refusal) -> T {
        let line = self.line
        return try await withCheckedContinuation { (c: CheckedContinuation<Result<T, Refusal>, Never>) in
            line.condition.lock()
            if line.closed { line.condition.unlock(); c.resume(returning: .failure(.closed)); return }
            line.waiting.append { c.resume(returning: .success(work())) }
            line.condition.signal()
            line.condition.unlock()
        }.get()
    }

    /// Stops taking work, lets queued and running renders finish, and waits for them.
    public func drain() {
        line.condition.lock()
        line.closed = true
        line.condition.broadcast()
        while line.running > 0 || !line.waiting.isEmpty { line.condition.wait() }
        line.condition.unlock()
    }
}
