import Foundation
import Testing

/// Output that is not a regular file (a FIFO here; /dev/null in practice) is written to directly:
/// moving a finished temporary file into place would replace the device or pipe with a file.
@Suite struct OutputDestinationTests {
    @Test func pdfIntoAFIFOLeavesTheFIFO() throws {
        let dir = try CLI.temporaryDirectory()
        let fifo = dir + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let received = Box()
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.data = h.readDataToEndOfFile() }
        }
        reader.start()
        let invoice = CLI.packageRoot.appendingPathComponent("samples/invoice.rml").path
        let r = try CLI.folio(["render", invoice, "-o", fifo])
        #expect(r.status == 0, "\(r.stderr)")
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        var st = stat()
        #expect(stat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced")
        #expect(received.data.starts(with: Array("%PDF".utf8)))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".part") }.isEmpty)
    }
}
