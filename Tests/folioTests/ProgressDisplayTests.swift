import Foundation
import Testing

/// Long renders show pages, rate and time left on a terminal, and nothing when stderr is not one.
@Suite struct ProgressDisplayTests {
    /// A document long enough to take more than half a second, with "Page X of Y" (so the total
    /// is known after the counting pass).
    static func longDocument(_ dir: String) throws -> String {
        var story = ""
        for i in 1...8000 { story += "<para>Line \(i) of a long report, long enough to wrap once or twice across the frame width of the page.</para>\n" }
        let rml = """
        <document><template><pageTemplate id="p"><pageGraphics><setFont name="Helvetica" size="8"/>
        <drawString x="72" y="40">Page <pageNumber/> of <pageCount/></drawString></pageGraphics>
        <frame id="f" x1="72" y1="72" width="451" height="698"/></pageTemplate></template>
        <story>\(story)</story></document>
        """
        let path = dir + "/long.rml"
        try rml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func progressOnATerminalOnly() throws {
        let dir = try CLI.temporaryDirectory()
        let input = try Self.longDocument(dir)
        // Not a terminal: stderr stays empty.
        let quiet = try CLI.folio(["render", input, "-o", dir + "/a.pdf"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        // A pseudo-terminal (Python's pty): the progress line appears, then is cleared.
        let script = """
        import os, pty, sys
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:])
        out = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(out.decode("utf-8", "replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """
        let tty = try CLI.run("python3", ["-c", script, CLI.folio, "render", input, "-o", dir + "/b.pdf"], environment: ["TERM": "xterm"])
        #expect(tty.status == 0, "\(tty.stdout)")
        #expect(tty.stdout.contains("pages/s") && tty.stdout.contains(" of "), "\(tty.stdout.debugDescription)")
        #expect(tty.stdout.hasSuffix("\r\u{1B}[2K"), "the progress line is cleared at the end")
    }
}
