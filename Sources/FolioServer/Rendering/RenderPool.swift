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

    private let condition = NSCondition()
    private var waiting: [@Sendable () -> Void] = []
    private var running = 0
    private var closed = false
    private var threads: [Thread] = []
    public let slots: Int
    public let queueLimit: Int

    /// Starts `slots` threads; at most `queueLimit` renders wait for one.
    public init(slots: Int, queueLimit: Int, name: String = "folio-render") {
        self.slots = max(1, slots)
        self.queueLimit = max(0, queueLimit)
        for i in 0..<self.slots {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Renders waiting for a thread.
    public var queueDepth: Int { condition.lock(); defer { condition.unlock() }; return waiting.count }
    /// Renders running now.
    public var active: Int { condition.lock(); defer { condition.unlock() }; return running }

    /// Queues `work`, or refuses it when the line is full.
    public func submit(_ work: @escaping @Sendable () -> Void) throws(Refusal) {
        condition.lock()
        defer { condition.unlock() }
        if closed { throw .closed }
        if running + waiting.count >= slots + queueLimit { throw .full }
        waiting.append(work)
        condition.signal()
    }

    /// Runs `work` on a render thread and returns its result; waits for a slot instead of
    /// refusing (for job workers, which have their own bound).
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Refusal) -> T {
        try await withCheckedContinuation { (c: CheckedContinuation<Result<T, Refusal>, Never>) in
            condition.lock()
            if closed { condition.unlock(); c.resume(returning: .failure(.closed)); return }
            waiting.append { c.resume(returning: .success(work())) }
            condition.signal()
            condition.unlock()
        }.get()
    }

    /// Stops taking work, lets queued and running renders finish, and waits for them.
    public func drain() {
        condition.lock()
        closed = true
        condition.broadcast()
        while running > 0 || !waiting.isEmpty { condition.wait() }
        condition.unlock()
    }

    private func loop() {
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
