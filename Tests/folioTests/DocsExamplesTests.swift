import Foundation
import Testing

/// The examples in docs/ are true: package files in docs/reports.md validate and render, every
/// complete RML example renders without a warning, and the element reference is up to date.
@Suite struct DocsExamplesTests {
    static let docs = CLI.packageRoot.appendingPathComponent("docs")

    /// Fenced blocks of a Markdown file: (info string, content).
    static func blocks(_ file: String) throws -> [(info: String, body: String)] {
        let text = try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8)
        var out: [(String, String)] = []
        var info: String?
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let i = info {
                    out.append((i, body.joined(separator: "\n") + "\n"))
                    info = nil
                } else {
                    info = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                    body = []
                }
            } else if info != nil {
                body.append(line)
            }
        }
        return out
    }

    @Test func reportPackageExamplesValidateAndRender() throws {
        let root = try CLI.temporaryDirectory() + "/templates"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.packageRoot.appendingPathComponent("templates/base").path, toPath: root + "/base")
        var packages = Set<String>()
        for block in try Self.blocks("reports.md") {
            guard let r = block.info.range(of: "file=") else { continue }
            let path = String(block.info[r.upperBound...])
            packages.insert(String(path.split(separator: "/")[0]))
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try block.body.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(packages == ["hello", "sales"], "\(packages)")
        for p in packages.sorted() {
            let v = try CLI.folio(["validate", root + "/" + p])
            #expect(v.status == 0, "\(p): \(v.stdout)\n\(v.stderr)")
        }
        let out = root + "/../cards.pdf"
        let fr = try CLI.folio(["render", "--templates", root, "--report", "hello.card", "--lang", "fr", "--strict",
                                "--param", "signature=L'équipe", "-o", out])
        #expect(fr.status == 0, "\(fr.stderr)")
        let text = try CLI.text(out)
        #expect(text.contains("Bonjour, Agrolait!") && text.contains("Merci pour votre commande.") && text.contains("L'équipe"), "\(text)")
        #expect(try CLI.pageCount(out) == 2)
        let sales = try CLI.folio(["render", "--templates", root, "--report", "sales.by_customer", "--strict", "-o", out])
        #expect(sales.status == 0, "\(sales.stderr)")
        #expect(try CLI.text(out).contains("Müller Büromöbel"))
    }

    @Test func rmlExamplesRenderCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        var count = 0
        for file in ["reports.md", "rml.md"] {
            for (i, block) in try Self.blocks(file).enumerated() where block.info == "rml" {
                let path = dir + "/\(file)-\(i).rml"
                try block.body.write(toFile: path, atomically: true, encoding: .utf8)
                let r = try CLI.folio(["render", path, "--strict", "-o", path + ".pdf"])
                #expect(r.status == 0, "\(file), example \(i): \(r.stderr)")
                count += 1
            }
        }
        #expect(count >= 1)
    }

    @Test func elementReferenceIsUpToDate() throws {
        let r = try CLI.run("python3", [CLI.packageRoot.appendingPathComponent("scripts/gen-rml-reference.py").path, "--check"])
        #expect(r.status == 0, "\(r.stderr)")
    }
}
