import FolioLayout
import Foundation

/// Draws laid-out pages into a PDF on a thread of its own, so that the layout of the next pages
/// runs meanwhile on the caller's thread. At most `capacity` pages wait between the two, so memory
/// stays bounded however long the document; pages reach the PDF in order.
///
/// The PDF renderer (and the font environment it draws with) is used only by the drawing thread
/// until `close()` returns, then by the caller again.
final class PageDrawingThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Page?] = []
    private var head = 0
    private var closed = false
    private var done = false
    private var failure: RenderError?
    private let capacity: Int
    private let pdf: PDFRenderer

    init(pdf: PDFRenderer, capacity: Int = 3) {
        self.pdf = pdf
        self.capacity = max(1, capacity)
    }

    func start() {
        let thread = Thread { [self] in self.drawLoop() }
        thread.name = "folio-pdf"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func drawLoop() {
        while true {
            condition.lock()
            while head == queue.count && !closed { condition.wait() }
            if head == queue.count {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            // Taken out of the queue at once: a drawn page must not stay referenced.
            let page = queue[head].take()!
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 {
                queue.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            condition.unlock()
            do throws(RenderError) {
                try pdf.draw(page)
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                head = 0
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    /// Hands a page to the drawing thread, waiting while `capacity` pages are queued. Throws the
    /// error that stopped the drawing, if any.
    func submit(_ page: Page) throws(RenderError) {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= capacity && failure == nil && !done { condition.wait() }
        if let failure { throw failure }
        queue.append(page)
        condition.broadcast()
    }

    /// Waits until every submitted page is drawn; throws the drawing error, if any.
    func close() throws(RenderError) {
        condition.lock()
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }
}
