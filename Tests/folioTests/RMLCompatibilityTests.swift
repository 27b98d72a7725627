import Foundation
import Testing

/// Renders the RML reference corpus (z3c.rml's test inputs beside the checkout, in ../shared/rml)
/// and scores Folio's pages against z3c.rml's reference PDFs. Fails when fewer inputs match than
/// the floor committed in `rml-compat-floor.txt`; raise the floor as coverage grows.
@Suite struct RMLCompatibilityTests {
    static var corpus: String {
        ProcessInfo.processInfo.environment["FOLIO_RML_CORPUS"]
            ?? CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/rml").path
    }

    @Test func matchedInputsStayAboveTheFloor() throws {
        let corpus = Self.corpus
        try #require(FileManager.default.fileExists(atPath: corpus + "/rmlcompare.py"),
                     "the RML corpus is missing at \(corpus) (set FOLIO_RML_CORPUS)")
        let floorText = try String(contentsOfFile: CLI.packageRoot.path + "/Tests/folioTests/rml-compat-floor.txt", encoding: .utf8)
        let floor = try #require(Int(floorText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let out = try CLI.temporaryDirectory()
        let command = "\(CLI.folio) render {in} -o {out} --map '[z3c.rml.tests]=\(corpus)' " +
            "--map '[z3c.rml]/tests=\(corpus)' --resource-path \(corpus)/fonts"
        let r = try CLI.run("python3", [corpus + "/rmlcompare.py", "--inputs", corpus + "/input", "--reference",
                                        corpus + "/reference", "--out", out, "--jobs", "2", "--candidate-cmd", command])
        let last = r.stdout.split(separator: "\n").last { $0.hasPrefix("rml-compat:") }.map(String.init) ?? ""
        print(r.stdout.split(separator: "\n").filter { $0.hasPrefix("rml-compat") }.joined(separator: "\n"))
        let matched = last.split(separator: ",").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }
        let m = try #require(matched, "unexpected scorer output: \(r.stdout.suffix(500)) \(r.stderr.suffix(500))")
        #expect(m >= floor, "\(m) inputs matched, below the floor of \(floor); details in \(out)")
        // Every input must end with a PDF or a located error, never a crash or a timeout.
        let results = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        for line in results.split(separator: "\n").dropFirst() {
            #expect(!line.contains("timeout") && !line.contains("crash"), "\(line)")
        }
    }
}
