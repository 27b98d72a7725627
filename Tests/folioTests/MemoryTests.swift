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

    /// Data, generated RML and the peaks of rendering and of laying out only, for `rows` lines.
    static func measure(_ rows: Int, in dir: String) throws -> (render: Double, layout: Double, pipeline: Double) {
        let data = "\(dir)/ledger-\(rows).xml", rml = "\(dir)/ledger-\(rows).rml"
        try #require(CLI.run("python3", [bench + "/gen_data.py", "\(rows)", data]).status == 0)
        let fonts = CLI.packageRoot.appendingPathComponent("fonts").path
        let xsl = ["--xsl", bench + "/ledger_rml.xsl", "--data", data, "--param", "fontdir=\(fonts)"]
        try #require(CLI.folio(["render"] + xsl + ["--format", "rml", "-o", rml]).status == 0)
        let pipeline = try peakRSS([CLI.folio, "render"] + xsl + ["-o", "\(dir)/e2e-\(rows).pdf"])
        let render = try peakRSS([CLI.folio, "render", rml, "-o", "\(dir)/\(rows).pdf"])
        let layout = try peakRSS([CLI.folio, "check", rml])
        return (render, layout, pipeline)
    }

    @Test func drawingAndWritingDoNotGrowWithTheDocument() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = try Self.measure(1000, in: dir)
        let large = try Self.measure(5000, in: dir)
        // Pages are drawn and written as they are laid out, and released: what rendering adds to
        // laying out is the same for 28 pages and for 136.
        #expect(large.render - large.layout <= small.render - small.layout + 16,
                "render \(small.render)/\(large.render) MB, layout \(small.layout)/\(large.layout) MB")
        // The whole pipeline (data → XSLT → RML → PDF) grows by a bounded amount per row (today the
        // data, RML and table trees; a streaming pipeline would make this flat).
        let perRow = (large.pipeline - small.pipeline) * 1024 / 4000
        #expect(perRow <= 12, "pipeline \(small.pipeline) → \(large.pipeline) MB: \(perRow) KB per row")
    }
}
