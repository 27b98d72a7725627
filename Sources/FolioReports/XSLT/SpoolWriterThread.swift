import CFolioShims
import FolioRML
import Foundation

/// Runs the rest of a chunked transform on a thread of its own, appending each piece to a spool
/// that the layout reads as it grows: the transform and the layout overlap, and neither the data
/// nor the RML is held whole.
enum SpoolWriterThread {
    /// The transform moves to the thread and is used only there from now on.
    private final class Job: @unchecked Sendable {
        let transform: ChunkedTransform
        let spool: RMLSpool
        init(_ transform: ChunkedTransform, _ spool: RMLSpool) { self.transform = transform; self.spool = spool }

        func run() {
            // libxml2's error handlers are per thread: keep its messages off the terminal here too.
            folio_xml_global_init()
            do {
                while let piece = try transform.next() {
                    try spool.write(piece)
                }
                spool.finish()
            } catch let error as ReportError {
                spool.finish(failure: RMLError(error.message, at: error.location))
            } catch let error as RMLError {
                spool.finish(failure: error)
            } catch {
                spool.finish(failure: RMLError("\(error)", at: nil))
            }
        }
    }

    static func start(_ transform: ChunkedTransform, into spool: RMLSpool) {
        let job = Job(transform, spool)
        let thread = Thread { job.run() }
        thread.name = "folio-xslt-chunks"
        // libxslt recurses deeply on deep data.
        thread.stackSize = 16 << 20
        thread.start()
    }
}
