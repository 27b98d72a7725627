import FolioServer
import Foundation
import XCTest

final class RenderPoolTests: XCTestCase {
    /// A pool released while its threads are still starting must not be read after it is gone
    /// (the threads hold the shared line, not the pool).
    func testPoolReleasedAtOnceDoesNotCrash() throws {
        for _ in 0..<50 { _ = RenderPool(slots: 2, queueLimit: 1) }
        // Give the threads time to start and run against released pools.
        Thread.sleep(forTimeInterval: 0.5)
    }

    /// Queued work still runs after the pool is released; the threads end afterwards.
    func testQueuedWorkRunsAfterRelease() throws {
        let done = DispatchSemaphore(value: 0)
        do {
            let pool = RenderPool(slots: 1, queueLimit: 4)
            for _ in 0..<3 { try pool.submit { done.signal() } }
        }
        for _ in 0..<3 { XCTAssertEqual(done.wait(timeout: .now() + 60), .success) }
    }

    func testFullLineIsRefused() throws {
        let pool = RenderPool(slots: 1, queueLimit: 1)
        let release = DispatchSemaphore(value: 0)
        try pool.submit { release.wait() }
        // The first may still be waiting for its thread: 2 (slot + line) are accepted in all.
        var refused = false
        for _ in 0..<3 {
            do { try pool.submit { release.wait() } } catch { refused = true }
        }
        XCTAssertTrue(refused)
        for _ in 0..<3 { release.signal() }
        pool.drain()
    }
}
