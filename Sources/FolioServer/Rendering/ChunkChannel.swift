import Foundation
import NIOCore

/// Carries PDF bytes from a render thread to an HTTP response body, with backpressure.
///
/// The render thread calls `push` (from its `OutputSink`); it blocks while more than
/// `highWaterMark` bytes wait for the client, so a slow reader slows the render instead of
/// filling memory. The response side iterates the channel as an `AsyncSequence` of `ByteBuffer`s.
/// When the client goes away (`cancel`), `push` returns false and the render stops.
public final class ChunkChannel: AsyncSequence, @unchecked Sendable {
    public typealias Element = ByteBuffer

    /// What the render thread reports when it ends.
    public enum Completion: Sendable {
        case finished
        case failed(ServiceError)
    }

    private let condition = NSCondition()
    private var chunks: [ByteBuffer] = []
    private var pendingBytes = 0
    private var completion: Completion?
    private var cancelled = false
    private var reader: CheckedContinuation<ByteBuffer?, any Error>?
    private var firstEvent: CheckedContinuation<Void, Never>?
    private var sawFirstEvent = false
    public let highWaterMark: Int
    /// A reader that stops reading for good (or never starts) does not hold a render thread
    /// past this time: `push` then fails.
    public let stallDeadline: Date

    public init(highWaterMark: Int = 256 << 10, stallDeadline: Date = .distantFuture) {
        self.highWaterMark = highWaterMark
        self.stallDeadline = stallDeadline
    }

    // MARK: producer (render thread)

    /// Hands bytes to the reader; blocks while the reader is behind. False when the reader is gone.
    public func push(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let buffer = ByteBuffer(bytes: bytes)
        condition.lock()
        while pendingBytes >= highWaterMark && !cancelled {
            if !condition.wait(until: stallDeadline) { cancelled = true }
        }
        if cancelled { condition.unlock(); return false }
        producedBytes += buffer.readableBytes
        let waiter = reader
        reader = nil
        if waiter == nil {
            chunks.append(buffer)
            pendingBytes += buffer.readableBytes
        }
        let first = takeFirstEvent()
        condition.unlock()
        waiter?.resume(returning: buffer)
        first?.resume()
        return true
    }

    /// Ends the stream: the reader gets the remaining chunks, then the end (or the error).
    public func finish(_ result: Completion) {
        condition.lock()
        completion = result
        var waiter: CheckedContinuation<ByteBuffer?, any Error>?
        if chunks.isEmpty { waiter = reader; reader = nil }
        let first = takeFirstEvent()
        condition.unlock()
        if let waiter {
            if case .failed(let e) = result { waiter.resume(throwing: e) } else { waiter.resume(returning: nil) }
        }
        first?.resume()
    }

    private func takeFirstEvent() -> CheckedContinuation<Void, Never>? {
        sawFirstEvent = true
        let f = firstEvent
        firstEvent = nil
        return f
    }

    // MARK: consumer (response body)

    /// Waits until the render produced its first bytes or ended, whichever comes first: the HTTP
    /// status is chosen then (an error before any byte becomes a problem+json answer).
    public func waitForFirstEvent() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            if sawFirstEvent { condition.unlock(); c.resume(); return }
            firstEvent = c
            condition.unlock()
        }
    }

    /// The failure, when the render ended with one before producing any byte.
    public var failureBeforeOutput: ServiceError? {
        condition.lock()
        defer { condition.unlock() }
        if case .failed(let e) = completion, producedBytes == 0 { return e }
        return nil
    }

    private var producedBytes = 0

    /// Stops the producer: its next `push` returns false.
    public func cancel() {
        condition.lock()
        cancelled = true
        let waiter = reader
        reader = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(throwing: CancellationError())
    }

    func next() async throws -> ByteBuffer? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<ByteBuffer?, any Error>) in
                condition.lock()
                if !chunks.isEmpty {
                    let chunk = chunks.removeFirst()
                    pendingBytes -= chunk.readableBytes
                    condition.broadcast()
                    condition.unlock()
                    c.resume(returning: chunk)
                    return
                }
                if let completion {
                    condition.unlock()
                    if case .failed(let e) = completion { c.resume(throwing: e) } else { c.resume(returning: nil) }
                    return
                }
                if cancelled { condition.unlock(); c.resume(throwing: CancellationError()); return }
                reader = c
                condition.unlock()
            }
        } onCancel: {
            self.cancel()
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: ChunkChannel
        public mutating func next() async throws -> ByteBuffer? { try await channel.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
