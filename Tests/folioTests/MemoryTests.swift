import Foundation
import Testing

/// Peak memory of long reports (the benchmark's ledger, `bench/`), measured as the peak resident
/// set of the `folio` process. Memory, unlike time, is deterministic enough to assert on.
@Suite(.serialized) struct MemoryTests {
    static let bench = CLI.packageRoot.appendingPathComponent("bench").path

    /// Runs a command and returns its peak RSS in MB (`getrusage` of the finished child).
    static func peakRSS(_ arguments: [String]) throws -> Double {
        let script = """
        import resource, subprocess, sys
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
        let r = try CLI.run("python3", ["-c", script] + arguments)
        try #require(r.status == 0, "\(arguments.joined(separator: " ")) failed: \(r.stderr)")
        return (Double(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) / 1024
    }

    /// Peaks of the whole pipeline for `rows` ledger lines: data → chunked stylesheet → RML spooled
    /// and streamed into the layout → PDF; and of rendering the generated RML file.
    static func measure(_ rows: Int, in dir: String) throws -> (pipeline: Double, render: Double) {
        let data = "\(dir)/ledger-\(rows).xml", rml = "\(dir)/ledger-\(rows).rml"
        try #require(CLI.run("python3", [bench + "/gen_data.py", "\(rows)", data]).status == 0)
        let fonts = CLI.packageRoot.appendingPathComponent("fonts").path
        let xsl = ["--xsl", bench + "/ledger_rml_chunked.xsl", "--data", data, "--param", "fontdir=\(fonts)"]
        try #require(CLI.folio(["render"] + xsl + ["--format", "rml", "-o", rml]).status == 0)
        let pipeline = try peakRSS([CLI.folio, "render"] + xsl + ["-o", "\(dir)/e2e-\(rows).pdf"])
        let render = try peakRSS([CLI.folio, "render", rml, "-o", "\(dir)/\(rows).pdf"])
        return (pipeline, render)
    }

    /// The pages of a PDF (pdfinfo).
    static func pages(_ pdf: String) throws -> Int {
        let r = try CLI.run("pdfinfo", [pdf])
        let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }

    @Test func longReportsRenderInFlatMemory() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = try Self.measure(1000, in: dir)
        let large = try Self.measure(20000, in: dir)
        // The data is read a chunk of records at a time, the RML is spooled and read as the layout
        // goes (table rows in a window released after their page), pages are written as they are
        // laid out: 20 times the rows, at most 30 % more memory.
        #expect(large.pipeline <= small.pipeline * 1.3, "data → PDF: \(small.pipeline) MB for 1,000 rows, \(large.pipeline) MB for 20,000")
        #expect(large.render <= small.render * 1.3, "RML → PDF: \(small.render) MB for 1,000 rows, \(large.render) MB for 20,000")
        // And the output is the whole report: 541 pages, the grand total on the last.
        #expect(try Self.pages("\(dir)/e2e-20000.pdf") == 541)
        let last = try CLI.run("pdftotext", ["-f", "541", "-l", "541", "\(dir)/e2e-20000.pdf", "-"]).stdout
        #expect(last.contains("Grand total (20,000 lines)"), "last page: \(last.suffix(300))")
        #expect(last.contains("Page 541 of 541"), "last page: \(last.suffix(300))")
    }
}
